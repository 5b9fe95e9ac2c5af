"""Fixtures: an app on each database backend (seeded with the packaged content), clients, runners.

Every test that uses an app runs once on SQLite and once on PostgreSQL; the
PostgreSQL run needs TEST_DATABASE_URL and is skipped with that reason without it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

import flask_migrate
import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import event, insert, text

from selector import create_app
from selector.content.paths import DEFAULT_DIR
from selector.content.read import read_content
from selector.content.snapshot import content, loaded_revision, publish
from selector.content.write import write_content
from selector.engine.answers import (
    ANSWERS,
    VERSION,
    every_v2_combination,
    from_v2,
    normal,
    query_pairs,
)
from selector.engine.explain import Explained, explain
from selector.engine.recommend import recommend
from selector.extensions import db
from selector.models import Decision

# Which databases currently hold the packaged content untouched.
_seeded: set[str] = set()


def load_content(app: Flask, root=DEFAULT_DIR) -> None:
    """Load content files into the app's database and announce the new revision to it."""
    with app.app_context():
        data = read_content(root)
        write_content(db.session, data)
        publish(loaded_revision(db.session))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(
            "PostgreSQL run skipped: set TEST_DATABASE_URL, "
            "e.g. postgresql://postgres@127.0.0.1:5432/test"
        )
    return url


def reset_schema() -> None:
    """Drop everything the migrations made and build the schema again from the migrations."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            db.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    flask_migrate.upgrade()


@pytest.fixture
def make_app(database_url, tmp_path) -> Iterator:
    apps: list[Flask] = []

    def make(**config) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "WTF_CSRF_ENABLED": False,
                # The limiter is one object for every app in this process; tests that
                # are about limits turn it on.
                "RATELIMIT_ENABLED": False,
                **config,
            },
            instance_path=str(tmp_path / "instance"),
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app, database_url) -> Flask:
    """An app whose database holds the packaged content; tests must not change it."""
    app = make_app()
    if database_url not in _seeded:
        with app.app_context():
            reset_schema()
        load_content(app)
        _seeded.add(database_url)
    return app


@pytest.fixture
def empty_app(make_app, database_url) -> Flask:
    """An app whose database has the current schema and no content."""
    app = make_app()
    _seeded.discard(database_url)
    with app.app_context():
        reset_schema()
    return app


@pytest.fixture
def fresh_app(empty_app) -> Flask:
    """An app with the packaged content and no decisions stored yet."""
    load_content(empty_app)
    return empty_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@contextmanager
def count_statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def answer_space() -> list[dict[str, object]]:
    """Version-3 answer sets to try: every version-2 answer set carried over, each with every
    starting point, once each, in a fixed order."""
    space: dict[tuple[tuple[str, str], ...], dict[str, object]] = {}
    for old in every_v2_combination():
        carried = from_v2(old)
        for start in ANSWERS["starting_point"]:
            answers = normal({**carried, "starting_point": start})
            space.setdefault(tuple(query_pairs(answers)), answers)
    return list(space.values())


def answer_sets_for(app) -> dict[str, list[dict[str, object]]]:
    """Version-3 answer sets from answer_space(), by the framework they put first (every one of
    the four is first for some)."""
    with app.test_request_context():
        model = content().model
    by_first: dict[str, list[dict[str, object]]] = {}
    for answers in answer_space():
        by_first.setdefault(recommend(answers, model).framework, []).append(answers)
    return by_first


def explained(app, answers, lang: str = "en") -> Explained:
    """What the engine recommends for answers, in the words of an edition, as pages show it."""
    with app.test_request_context(), force_locale(lang):
        loaded = content(lang)
        return explain(recommend(normal(answers), loaded.model), loaded.words)


def stored_form(answers) -> dict[str, str | list[str]]:
    """Answers as a decision stores them: a multi-valued answer as a list."""
    return {key: list(v) if isinstance(v, tuple) else v for key, v in answers.items()}


def store_decisions(
    app, firsts: dict[str, int], when: dt.datetime | None = None, version: int = VERSION
) -> None:
    """Store that many decisions that put each framework first, made at `when`.

    version=2 stores decisions as the version-2 form did: its answers as given (every
    version-2 answer set whose carried-over answers put that framework first).
    """
    when = when or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with app.test_request_context():
        model = content().model
        if version == VERSION:
            by_first = answer_sets_for(app)
        else:
            by_first = {}
            for old in every_v2_combination():
                first = recommend(from_v2(old), model).framework
                by_first.setdefault(first, []).append(old)
        rows = []
        for slug, count in firsts.items():
            for n in range(count):
                given = by_first[slug][n % len(by_first[slug])]
                result = recommend(from_v2(given) if version != VERSION else given, model)
                rows.append(
                    {
                        "version": version,
                        "answers": stored_form(result.answers) if version == VERSION else given,
                        "framework": result.framework,
                        "runner_up": result.runner_up,
                        "created_at": when,
                    }
                )
        if rows:
            db.session.execute(insert(Decision), rows)
        db.session.commit()


NOT_FOUND = "/no-such-page"
#: One address of each kind of response, error pages included, for the header checks.
ROUTES = [
    "/",
    "/guide",
    "/frameworks/flask",
    "/compare?f=flask&f=django",
    "/scenarios",
    "/scenarios/json-api",
    "/samples",
    "/samples/json-endpoint",
    "/samples/json-endpoint/flask/app.py",
    "/guide/measured-speed",
    "/changes",
    "/changes.atom",
    "/search?q=websockets",
    "/opensearch.xml",
    "/stats",
    "/stats/months.csv",
    "/api/v1/stats",
    "/frameworks/django/changes.atom",
    "/decide",
    "/decide/result?starting_point=new&clients=pages",
    "/decide/result.md?starting_point=new&clients=pages",
    "/decide/result?starting_point=perhaps&clients=pages",
    "/api/v1/openapi.json",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/readyz",
    "/static/style.css",
    NOT_FOUND,
]


def require(condition: bool, reason: str) -> None:
    """Skip when a tool a test needs is missing; under CI=true that is a failure instead."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)
