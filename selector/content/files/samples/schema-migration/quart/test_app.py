import asyncio
import importlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest
import pytest_asyncio
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, text


@pytest_asyncio.fixture
async def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ModuleType]:
    # app.py reads DATABASE_URL when it is imported: set it, then import afresh.
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'items.sqlite3'}")
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    # The database as it is deployed before the change: the items table without price.
    async with module.engine.begin() as conn:
        await conn.execute(
            text("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL)")
        )
        await conn.execute(text("INSERT INTO items (name) VALUES ('Lamp')"))
    yield module
    await module.engine.dispose()


@pytest.fixture
def alembic(sample: ModuleType, tmp_path: Path) -> Config:
    ini = str(tmp_path / "alembic.ini")
    # alembic init -t async migrations: an env.py that migrates through an async engine.
    command.init(Config(ini), str(tmp_path / "migrations"), template="async")
    # The one line `alembic init` leaves to you: the models autogenerate compares against.
    env = tmp_path / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None", "from app import Base\ntarget_metadata = Base.metadata"
        )
    )
    config = Config(ini)
    config.set_main_option("sqlalchemy.url", str(sample.engine.url))
    return config


async def columns(sample: ModuleType) -> list[str]:
    def names(conn: Connection) -> list[str]:
        return [column["name"] for column in inspect(conn).get_columns("items")]

    async with sample.engine.connect() as conn:
        return await conn.run_sync(names)


@pytest.mark.asyncio
async def test_the_migration_adds_the_column_and_takes_it_away(
    sample: ModuleType, alembic: Config, tmp_path: Path
) -> None:
    # The async env.py runs its own event loop, so Alembic runs in a thread, as from a shell.
    await asyncio.to_thread(command.revision, alembic, "add price", autogenerate=True)
    [script] = (tmp_path / "migrations" / "versions").glob("*_add_price.py")
    assert "op.add_column('items', sa.Column('price', sa.Integer()" in script.read_text()
    assert await columns(sample) == ["id", "name"]

    await asyncio.to_thread(command.upgrade, alembic, "head")
    assert await columns(sample) == ["id", "name", "price"]
    response = await sample.app.test_client().get("/items")
    assert await response.get_json() == [{"name": "Lamp", "price": 0}]

    await asyncio.to_thread(command.downgrade, alembic, "base")
    assert await columns(sample) == ["id", "name"]
