from __future__ import annotations

from sqlalchemy import inspect

from selector.extensions import db


def test_migrations_build_the_schema_from_empty_with_no_drift(empty_app):
    with empty_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    result = empty_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
