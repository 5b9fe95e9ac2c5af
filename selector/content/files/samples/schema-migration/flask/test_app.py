from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from app import create_app, db


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'items.sqlite3'}"
    # The database as it is deployed before the change: the items table without price.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL)")
        )
        conn.execute(text("INSERT INTO items (name) VALUES ('Lamp')"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    yield app
    with app.app_context():
        db.engine.dispose()


def columns(app: Flask) -> list[str]:
    with app.app_context():
        return [column["name"] for column in inspect(db.engine).get_columns("items")]


# Flask-Migrate's env.py still tries Flask-SQLAlchemy 2's get_engine() first, which 3.1 keeps
# only to warn (Flask-Migrate issue 510).
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_the_migration_adds_the_column_and_takes_it_away(app: Flask, tmp_path: Path) -> None:
    migrations = str(tmp_path / "migrations")
    with app.app_context():
        flask_migrate.init(migrations)  # flask db init
        flask_migrate.migrate(migrations, message="add price")  # flask db migrate
    [script] = (tmp_path / "migrations" / "versions").glob("*_add_price.py")
    assert "add_column(sa.Column('price', sa.Integer()" in script.read_text()
    assert columns(app) == ["id", "name"]

    with app.app_context():
        flask_migrate.upgrade(migrations)  # flask db upgrade
    assert columns(app) == ["id", "name", "price"]
    assert app.test_client().get("/items").get_json() == [{"name": "Lamp", "price": 0}]

    with app.app_context():
        flask_migrate.downgrade(migrations, revision="base")  # flask db downgrade base
    assert columns(app) == ["id", "name"]
