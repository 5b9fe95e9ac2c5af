from __future__ import annotations

import datetime as dt

import flask_migrate
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, func, inspect, select

from selector.engine.answers import ANSWERS
from selector.extensions import db, migrate
from selector.models import ContentRevision, Decision, Framework, LoadedRevision, Question


def test_migrations_build_the_schema_from_empty_with_no_drift(empty_app):
    with empty_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    result = empty_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def schema() -> dict[str, tuple]:
    """Every table's columns (name, type, nullable), indexes and foreign keys, as the database
    reports them."""
    found = inspect(db.engine)
    return {
        table: (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)),
            sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)),
            sorted(
                (tuple(k["constrained_columns"]), k["referred_table"])
                for k in found.get_foreign_keys(table)
            ),
        )
        for table in found.get_table_names()
    }


def rows(table: str) -> int | None:
    """How many rows a table holds, or None once a downgrade has removed it."""
    if table not in inspect(db.engine).get_table_names():
        return None
    # A connection of its own, closed at once: an open read would hold up the next migration.
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Table(table, MetaData())))


#: The content and the decisions: a downgrade may remove such a table, never its rows.
KEPT = ("framework", "question", "decision")


def test_one_head_and_a_round_trip_through_every_migration(fresh_app):
    """Every migration, taken from Alembic's script directory, one step at a time: each
    downgrade keeps the content and the decisions while their tables stand, and upgrading
    again from below builds exactly the schema each step down left."""
    fresh_app.test_client().post(
        "/decide", data={"starting_point": "new", "clients": ["pages"], "needs": ["admin"]}
    )
    with fresh_app.app_context():
        scripts = ScriptDirectory.from_config(migrate.get_config())
        assert len(scripts.get_heads()) == 1
        # Head first; a linear history, each step with one revision below it.
        steps = list(scripts.walk_revisions())
        assert all(isinstance(step.down_revision, str | None) for step in steps)
        assert [s.down_revision for s in steps[:-1]] == [s.revision for s in steps[1:]]
        assert steps[-1].down_revision is None
        before = {table: rows(table) for table in KEPT}
        assert before == {"framework": 4, "question": len(ANSWERS), "decision": 1}
        schemas = {steps[0].revision: schema()}

        # Down to the first migration, one step at a time; the first's rows stay to be read.
        for step in steps[:-1]:
            flask_migrate.downgrade(revision=step.down_revision)
            schemas[step.down_revision] = schema()
            assert schemas[step.down_revision] != schemas[step.revision], step.revision
            for table in KEPT:
                assert rows(table) in (before[table], None), (step.revision, table)
        assert rows("framework") == 4

        # Up again, one step at a time, over the rows loaded before the later steps existed.
        for step in reversed(steps[:-1]):
            flask_migrate.upgrade(revision=step.revision)
            assert schema() == schemas[step.revision], step.revision
        # The revision loaded before the history began is the first it knows.
        assert db.session.scalars(select(LoadedRevision.digest)).all() == [
            db.session.scalar(select(ContentRevision.digest))
        ]
        # Rows loaded before the new columns existed are readable until the next load fills them.
        assert db.session.scalars(select(Question.short)).all() == [""] * len(ANSWERS)
        assert db.session.scalars(select(Framework.sources)).all() == [[]] * 4
        db.session.remove()

        # All the way down leaves nothing; all the way up builds it again with no drift.
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
    assert fresh_app.test_cli_runner().invoke(args=["db", "check"]).exit_code == 0
    with fresh_app.app_context():
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


#: The migration before the one that brought version 3 of the decision contract.
BEFORE = "c5d8e2a4f713"


def test_decisions_stored_before_version_3_are_kept_as_version_2(fresh_app):
    runner = fresh_app.test_cli_runner()
    old = {"batteries": "yes", "async_or_typed": "no", "assemble": "no"}
    assert runner.invoke(args=["db", "downgrade", BEFORE]).exit_code == 0
    with fresh_app.app_context():
        decision = Table("decision", MetaData(), autoload_with=db.engine)
        assert "version" not in decision.c
        db.session.execute(
            decision.insert().values(
                created_at=dt.datetime.now(dt.UTC), answers=old, framework="django"
            )
        )
        db.session.commit()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context():
        stored = db.session.execute(select(Decision.version, Decision.answers)).all()
    assert [tuple(row) for row in stored] == [(2, old)]
