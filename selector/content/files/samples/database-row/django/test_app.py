from pathlib import Path

import pytest
from django.test import Client

import app  # noqa: F401  (importing it configures Django and its URLs)

# pytest-django gives each marked test a database of its own (in memory for SQLite), with the
# tables made for it, and rolls back whatever the test wrote.
pytestmark = pytest.mark.django_db


def test_the_test_database_is_not_the_sites() -> None:
    assert not Path("items.sqlite3").exists()


def test_created_item_can_be_read_back(client: Client) -> None:
    created = client.post("/items", {"name": "Lamp"}, "application/json")
    assert created.status_code == 201
    item = created.json()
    assert item["name"] == "Lamp"

    fetched = client.get(f"/items/{item['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == {"id": item["id"], "name": "Lamp"}


def test_ids_are_distinct(client: Client) -> None:
    first = client.post("/items", {"name": "Desk"}, "application/json").json()
    second = client.post("/items", {"name": "Chair"}, "application/json").json()
    assert first["id"] != second["id"]
    assert client.get(f"/items/{second['id']}").json()["name"] == "Chair"


def test_missing_item_is_404(client: Client) -> None:
    response = client.get("/items/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize("body", [{"title": "Lamp"}, {"name": ""}, {"name": "   "}, {"name": 7}])
def test_item_without_a_name_is_refused(client: Client, body: dict[str, object]) -> None:
    response = client.post("/items", body, "application/json")
    assert response.status_code == 422
    assert [problem["loc"][-1] for problem in response.json()["detail"]] == ["name"]
