import base64
import importlib
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest
import pytest_asyncio
from quart.testing import QuartClient

PASSWORD = "correct horse"


def basic(password: str) -> dict[str, str]:
    token = base64.b64encode(f"admin:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ADMIN = basic(PASSWORD)


@pytest_asyncio.fixture
async def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ModuleType]:
    # app.py reads its settings when it is imported: set them, then import afresh.
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'items.sqlite3'}")
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    async with module.engine.begin() as conn:
        await conn.run_sync(module.Base.metadata.create_all)
    async with module.Session() as session:
        session.add(module.Item(name="Lamp", price=30))
        await session.commit()
    yield module
    await module.engine.dispose()


@pytest.fixture
def client(sample: ModuleType) -> QuartClient:
    return sample.app.test_client()


async def page(client: QuartClient) -> str:
    return await (await client.get("/admin/items", headers=ADMIN)).get_data(as_text=True)


@pytest.mark.asyncio
async def test_the_page_lists_the_items(client: QuartClient) -> None:
    response = await client.get("/admin/items", headers=ADMIN)
    assert response.status_code == 200
    assert "<td>Lamp</td><td>30</td>" in await response.get_data(as_text=True)


@pytest.mark.asyncio
async def test_the_form_adds_an_item(client: QuartClient) -> None:
    response = await client.post(
        "/admin/items", form={"name": "Desk", "price": "120"}, headers=ADMIN
    )
    assert response.status_code == 302
    assert "<td>Desk</td><td>120</td>" in await page(client)


@pytest.mark.asyncio
@pytest.mark.parametrize("form", [{"name": "Desk", "price": "lots"}, {"name": " ", "price": "1"}])
async def test_the_form_refuses_bad_input(client: QuartClient, form: dict[str, str]) -> None:
    response = await client.post("/admin/items", form=form, headers=ADMIN)
    assert response.status_code == 400
    assert "A name and a whole price" in await response.get_data(as_text=True)
    assert "Desk" not in await page(client)


@pytest.mark.asyncio
async def test_names_are_escaped(client: QuartClient) -> None:
    await client.post("/admin/items", form={"name": "<b>Desk</b>", "price": "1"}, headers=ADMIN)
    assert "&lt;b&gt;Desk&lt;/b&gt;" in await page(client)


@pytest.mark.asyncio
@pytest.mark.parametrize("headers", [{}, basic("guess")])
async def test_anyone_else_is_refused(client: QuartClient, headers: dict[str, str]) -> None:
    response = await client.get("/admin/items", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="admin"'


def test_the_app_refuses_to_start_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    started = subprocess.run([sys.executable, "-c", "import app"], capture_output=True, text=True)
    assert started.returncode != 0
    assert "KeyError: 'ADMIN_PASSWORD'" in started.stderr
