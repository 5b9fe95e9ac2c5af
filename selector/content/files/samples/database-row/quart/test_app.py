import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from quart.testing import QuartClient


@pytest_asyncio.fixture
async def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[QuartClient]:
    # app.py reads ITEMS_DB on import, so point it at tmp_path and import it afresh.
    monkeypatch.setenv("ITEMS_DB", str(tmp_path / "items.sqlite3"))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    from app import app, engine, init_db

    await init_db()
    yield app.test_client()
    await engine.dispose()


@pytest.mark.asyncio
async def test_created_item_can_be_read_back(client: QuartClient, tmp_path: Path) -> None:
    response = await client.post("/items", json={"name": "Lamp"})
    assert response.status_code == 201
    created = await response.get_json()
    assert created["name"] == "Lamp"

    response = await client.get(f"/items/{created['id']}")
    assert response.status_code == 200
    assert await response.get_json() == created
    assert (tmp_path / "items.sqlite3").is_file()


@pytest.mark.asyncio
async def test_each_item_gets_its_own_id(client: QuartClient) -> None:
    first = await (await client.post("/items", json={"name": "Desk"})).get_json()
    second = await (await client.post("/items", json={"name": "Chair"})).get_json()
    assert first["id"] != second["id"]
    response = await client.get(f"/items/{first['id']}")
    assert (await response.get_json())["name"] == "Desk"


@pytest.mark.asyncio
async def test_unknown_item_is_404(client: QuartClient) -> None:
    response = await client.get("/items/999")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Item not found"}


@pytest.mark.asyncio
async def test_item_without_a_name_is_refused(client: QuartClient) -> None:
    response = await client.post("/items", json={"title": "Lamp"})
    assert response.status_code == 422
    assert [p["loc"] for p in (await response.get_json())["detail"]] == [["body", "name"]]
