import pytest
from flask.testing import FlaskClient

from app import app


@pytest.fixture
def client() -> FlaskClient:
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


def test_other_methods_are_refused(client: FlaskClient) -> None:
    assert client.post("/hello").status_code == 405
