import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

# The migration the project already has: what makemigrations wrote before price was added.
INITIAL = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
            ],
        ),
    ]
"""


@pytest.fixture(scope="module")
def migrations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("project")
    package = root / "items_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "0001_initial.py").write_text(INITIAL)
    # app reads ITEMS_DB when it is imported; its migrations package is found on sys.path.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ITEMS_DB", str(root / "items.sqlite3"))
        mp.syspath_prepend(str(root))
        import app  # noqa: F401

        setup_test_environment()
        yield package
        teardown_test_environment()


def columns() -> list[str]:
    with connection.cursor() as cursor:
        return [
            c.name for c in connection.introspection.get_table_description(cursor, "items_item")
        ]


def test_makemigrations_writes_the_new_column_and_migrate_applies_it(migrations: Path) -> None:
    call_command("migrate", "items", "0001", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO items_item (name) VALUES ('Lamp')")
    assert columns() == ["id", "name"]

    call_command("makemigrations", "items", name="item_price", verbosity=0)
    written = importlib.import_module("items_migrations.0002_item_price").Migration
    assert [(type(op).__name__, op.name) for op in written.operations] == [("AddField", "price")]
    # What CI runs to catch a model change without its migration: nothing is left to write.
    call_command("makemigrations", "items", check=True, dry_run=True, verbosity=0)

    call_command("migrate", "items", verbosity=0)
    assert columns() == ["id", "name", "price"]
    assert Client().get("/items").json() == [{"name": "Lamp", "price": 0}]

    call_command("migrate", "items", "0001", verbosity=0)
    assert columns() == ["id", "name"]
