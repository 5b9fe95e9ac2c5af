import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    # app.py reads ITEMS_DB on import, so set it first and import a fresh copy.
    monkeypatch.setenv("ITEMS_DB", str(tmp_path / "items.sqlite3"))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    module.init_db()
    yield module
    with module.app.app_context():
        module.db.engine.dispose()


@pytest.fixture
def client(sample: ModuleType) -> FlaskClient:
    return sample.app.test_client()


def test_database_file_lives_where_items_db_points(sample: ModuleType, tmp_path: Path) -> None:
    assert sample.ITEMS_DB.parent == tmp_path
    assert (tmp_path / "items.sqlite3").is_file()


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
    assert response.get_json() == {"error": "item not found"}


@pytest.mark.parametrize("body", [{"title": "teapot"}, {"name": ""}, {"name": 7}])
def test_item_without_a_name_is_refused(client: FlaskClient, body: dict[str, object]) -> None:
    response = client.post("/items", json=body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["name"]
    assert client.get("/items/1").status_code == 404
