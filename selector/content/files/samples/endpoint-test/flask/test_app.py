import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import app as flask_app


@pytest.fixture
def app() -> Flask:
    # TESTING lets exceptions reach the test instead of turning into 500 pages.
    flask_app.config.update(TESTING=True)
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_known_item_is_returned_as_json(client: FlaskClient) -> None:
    response = client.get("/items/1")

    assert response.status_code == 200
    assert response.is_json
    assert response.json == {"id": 1, "name": "teapot", "colour": "blue"}


@pytest.mark.parametrize("path", ["/items/99", "/items/0", "/items/teapot"])
def test_unknown_item_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
