from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import Item, app, get_items


@pytest.fixture
def client() -> Iterator[TestClient]:
    # No server: requests go straight into the app. The with-block also runs its lifespan.
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()


def test_known_item_is_returned_as_json(client: TestClient) -> None:
    response = client.get("/items/1")
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "Teapot"}


def test_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/items/99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


def test_id_that_is_not_a_number_is_422(client: TestClient) -> None:
    response = client.get("/items/teapot")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]


def test_a_dependency_is_swapped_for_the_test(client: TestClient) -> None:
    # Whatever get_items would reach (a database, another service), the test decides.
    app.dependency_overrides[get_items] = lambda: {7: Item(id=7, name="Test kettle")}
    assert client.get("/items/7").json() == {"id": 7, "name": "Test kettle"}
    assert client.get("/items/1").status_code == 404
