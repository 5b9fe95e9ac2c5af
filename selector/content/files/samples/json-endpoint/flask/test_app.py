import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app


@pytest.fixture
def app() -> Flask:
    return create_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_default_greeting(client: FlaskClient) -> None:
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"message": "Hello, world!"}


def test_greeting_uses_the_name_parameter(client: FlaskClient) -> None:
    response = client.get("/hello", query_string={"name": "Ada"})
    assert response.status_code == 200
    assert response.get_json() == {"message": "Hello, Ada!"}


def test_other_methods_are_refused_in_json(client: FlaskClient) -> None:
    response = client.post("/hello")
    assert response.status_code == 405
    assert response.get_json() == {"detail": "Method Not Allowed"}
