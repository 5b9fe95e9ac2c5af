from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import app


@pytest.fixture
def client() -> Iterator[TestClient]:
    # No server: requests go straight into the app. The with-block also runs its lifespan.
    with TestClient(app) as client:
        yield client


def test_known_item_is_returned_as_json(client: TestClient) -> None:
    response = client.get("/items/1")
    assert response.status_code == 200
    assert response.json() == {"name": "Teapot", "in_stock": True}


def test_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/items/2")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


def test_id_that_is_not_a_number_is_422(client: TestClient) -> None:
    response = client.get("/items/teapot")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]
