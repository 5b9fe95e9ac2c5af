from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app, db


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    # The factory takes test settings: here a database file of the test's own.
    database = f"sqlite:///{tmp_path / 'items.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_created_item_can_be_read_back(client: FlaskClient) -> None:
    created = client.post("/items", json={"name": "teapot"})
    assert created.status_code == 201
    assert created.get_json() == {"id": 1, "name": "teapot"}

    fetched = client.get("/items/1")
    assert fetched.status_code == 200
    assert fetched.get_json() == {"id": 1, "name": "teapot"}


def test_ids_increase(client: FlaskClient) -> None:
    client.post("/items", json={"name": "first"})
    second = client.post("/items", json={"name": "second"})
    assert second.get_json() == {"id": 2, "name": "second"}


def test_unknown_item_is_404(client: FlaskClient) -> None:
    response = client.get("/items/99")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "Item not found"}


@pytest.mark.parametrize("body", [{"title": "teapot"}, {"name": ""}, {"name": "  "}, {"name": 7}])
def test_item_without_a_name_is_refused(client: FlaskClient, body: dict[str, object]) -> None:
    response = client.post("/items", json=body)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.get_json()["detail"]] == [["body", "name"]]
    assert client.get("/items/1").status_code == 404
