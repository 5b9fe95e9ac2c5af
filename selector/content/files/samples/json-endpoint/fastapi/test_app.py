import pytest
from fastapi.testclient import TestClient

from app import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_greets_the_world_by_default(client: TestClient) -> None:
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, world!"}


def test_greets_the_name_in_the_query(client: TestClient) -> None:
    response = client.get("/hello", params={"name": "Ada"})
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, Ada!"}


def test_other_methods_are_refused(client: TestClient) -> None:
    assert client.post("/hello").status_code == 405


def test_the_response_shape_is_in_the_openapi_document(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["Greeting"]["required"] == ["message"]
