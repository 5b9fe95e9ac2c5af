from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "items.sqlite3"
    # app reads ITEMS_DB when it is imported, so set it first.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ITEMS_DB", str(path))
        import app

        app.init_db()
    return path


@pytest.fixture(scope="module", autouse=True)
def django_test_environment(db_path: Path) -> Iterator[None]:
    # What Django's own test runner does first, e.g. allowing the client's "testserver" host.
    setup_test_environment()
    yield
    teardown_test_environment()


@pytest.fixture
def client() -> Client:
    return Client()


def test_database_file_lives_in_the_test_folder(db_path: Path) -> None:
    assert db_path.is_file()
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
    assert response.json() == {"error": "item not found"}


def test_name_is_required(client: Client) -> None:
    response = client.post("/items", {}, "application/json")
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
