import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    # app.py reads DATABASE_URL when it is imported: set it, then import afresh.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'items.sqlite3'}")
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    # The database as it is deployed before the change: the items table without price.
    with module.engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL)")
        )
        conn.execute(text("INSERT INTO items (name) VALUES ('Lamp')"))
    yield module
    module.engine.dispose()


@pytest.fixture
def alembic(sample: ModuleType, tmp_path: Path) -> Config:
    ini = str(tmp_path / "alembic.ini")
    command.init(Config(ini), str(tmp_path / "migrations"))  # alembic init migrations
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


def columns(sample: ModuleType) -> list[str]:
    return [column["name"] for column in inspect(sample.engine).get_columns("items")]


def test_the_migration_adds_the_column_and_takes_it_away(
    sample: ModuleType, alembic: Config, tmp_path: Path
) -> None:
    command.revision(alembic, "add price", autogenerate=True)  # alembic revision --autogenerate
    [script] = (tmp_path / "migrations" / "versions").glob("*_add_price.py")
    assert "op.add_column('items', sa.Column('price', sa.Integer()" in script.read_text()
    assert columns(sample) == ["id", "name"]

    command.upgrade(alembic, "head")
    assert columns(sample) == ["id", "name", "price"]
    with TestClient(sample.app) as client:
        assert client.get("/items").json() == [{"name": "Lamp", "price": 0}]

    command.downgrade(alembic, "base")
    assert columns(sample) == ["id", "name"]
