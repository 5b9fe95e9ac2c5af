import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    # app.py reads ITEMS_DB when it is imported: point it at tmp_path, then import afresh.
    monkeypatch.setenv("ITEMS_DB", str(tmp_path / "items.sqlite3"))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    module.init_db()
    yield module
    module.engine.dispose()


@pytest.fixture
def client(sample: ModuleType) -> Iterator[TestClient]:
    with TestClient(sample.app) as client:
        yield client


def test_the_database_file_is_where_items_db_points(sample: ModuleType, tmp_path: Path) -> None:
    assert (tmp_path / "items.sqlite3").is_file()
    assert not Path("items.sqlite3").exists()


def test_created_item_can_be_read_back(client: TestClient) -> None:
    created = client.post("/items", json={"name": "Teapot"})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "name": "Teapot"}

    fetched = client.get("/items/1")
    assert fetched.status_code == 200
    assert fetched.json() == {"id": 1, "name": "Teapot"}


def test_each_item_gets_its_own_id(client: TestClient) -> None:
    client.post("/items", json={"name": "Desk"})
    assert client.post("/items", json={"name": "Chair"}).json() == {"id": 2, "name": "Chair"}
    assert client.get("/items/1").json()["name"] == "Desk"


def test_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/items/99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize("body", [{"title": "Teapot"}, {"name": ""}, {"name": "   "}, {"name": 7}])
def test_item_without_a_name_is_refused_and_not_stored(client: TestClient, body: object) -> None:
    response = client.post("/items", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert client.get("/items/1").status_code == 404
