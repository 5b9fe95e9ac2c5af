from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app


@pytest.fixture
def app() -> Iterator[Flask]:
    app = create_app()
    # TESTING lets exceptions reach the test instead of turning into 500 pages.
    app.config.update(TESTING=True)
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_known_item_is_returned_as_json(client: FlaskClient) -> None:
    response = client.get("/items/1")

    assert response.status_code == 200
    assert response.is_json
    assert response.json == {"id": 1, "name": "Teapot"}


def test_unknown_item_is_404_in_json(client: FlaskClient) -> None:
    response = client.get("/items/99")

    assert response.status_code == 404
    assert response.json == {"detail": "Item not found"}


def test_id_that_is_not_a_number_matches_no_route(client: FlaskClient) -> None:
    assert client.get("/items/teapot").status_code == 404
