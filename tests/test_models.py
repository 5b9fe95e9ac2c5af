from __future__ import annotations

import datetime as dt

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


def test_one_head_and_a_round_trip_through_every_migration(fresh_app):
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        assert len(ScriptDirectory.from_config(migrate.get_config()).get_heads()) == 1
    fresh_app.test_client().post(
        "/decide", data={"starting_point": "new", "clients": ["pages"], "needs": ["admin"]}
    )
    questions = len(ANSWERS)

    # Step by step down: the search tables (back, empty, with their indexes), version 3 of the
    # decision contract (the coverage table, the version of
    # each decision; the decisions stay), the editions' words and Japanese search, the comparison's classes
    # and the frameworks' licences, search and
    # the decision tallies (the decisions stay), change
    # history and release dates, code samples and benchmark
    # figures, part placement and sources, the questions' short names, the decisions; the
    # content stays readable at each step.
    with fresh_app.app_context():
        assert not {t for t in inspect(db.engine).get_table_names() if t.startswith("search_")}
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        search_entry = Table("search_entry", MetaData(), autoload_with=db.engine)
        assert {"lang", "body"} <= set(search_entry.c.keys())
        assert db.session.scalar(select(func.count()).select_from(search_entry)) == 0
        if db.engine.dialect.name == "sqlite":
            tables = set(inspect(db.engine).get_table_names())
            assert {"search_fts", "search_fts_trigram"} <= tables
        else:
            assert "document" in search_entry.c
            indexes = {i["name"] for i in inspect(db.engine).get_indexes("search_entry")}
            assert {"ix_search_entry_document", "ix_search_entry_trigrams"} <= indexes
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        assert "version" not in {c["name"] for c in inspect(db.engine).get_columns("decision")}
        assert "need" not in {c["name"] for c in inspect(db.engine).get_columns("aspect")}
        columns = {c["name"] for c in inspect(db.engine).get_columns("aspect_value")}
        assert "component" not in columns
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        assert "wording" not in inspect(db.engine).get_table_names()
        assert "lang" not in {c["name"] for c in inspect(db.engine).get_columns("search_entry")}
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        assert "provided" not in {c["name"] for c in inspect(db.engine).get_columns("aspect_value")}
        assert "licence" not in {c["name"] for c in inspect(db.engine).get_columns("framework")}
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert not {t for t in tables if t.startswith(("search_", "decision_tally", "tally_"))}
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"content_change", "content_item", "loaded_revision"}
        columns = {c["name"] for c in inspect(db.engine).get_columns("framework")}
        assert "version_released" not in columns
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 4
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"sample", "sample_task", "benchmark_run"}
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 4
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        assert "sources" not in {c["name"] for c in inspect(db.engine).get_columns("section")}
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 4
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        assert "short" not in {c["name"] for c in inspect(db.engine).get_columns("question")}
        assert db.session.scalar(select(func.count()).select_from(Question)) == questions
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    with fresh_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert "decision" not in tables
        assert db.session.scalar(select(func.count()).select_from(Framework)) == 4
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    # The revision loaded before the history began is the first it knows.
    with fresh_app.app_context():
        assert db.session.scalars(select(LoadedRevision.digest)).all() == [
            db.session.scalar(select(ContentRevision.digest))
        ]
    # Rows loaded before the new columns existed are readable until the next load fills them.
    with fresh_app.app_context():
        assert db.session.scalars(select(Question.short)).all() == [""] * questions
        assert db.session.scalars(select(Framework.sources)).all() == [[]] * 4

    # All the way down leaves nothing; all the way up builds it again with no drift.
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with fresh_app.app_context():
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "check"]).exit_code == 0
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
