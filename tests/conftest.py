"""Fixtures: an app on each database backend (seeded with the packaged content), clients, runners.

Databases are built once per run and copied per test. For each backend the first test that
needs one runs the migrations into a template (the schema alone) and loads the packaged
content into a second template (seeded); every test then gets its own copy of one of them:
a file copy on SQLite, `CREATE DATABASE … TEMPLATE …` on PostgreSQL (made and dropped through
the database TEST_DATABASE_URL names). So no test can see another's writes, and the seeded
`app` is the same in every test whatever the test before it wrote.

Every test that uses an app runs on SQLite. On PostgreSQL run only the tests whose outcome can
differ by dialect, listed in ON_POSTGRESQL: what is written (decisions, tallies, content
loads, the search index), how it is written (migrations, concurrent writers, a
database that goes away or refuses writes) and a smoke of every page. The other tests read
the same loaded content through the same ORM queries, so a second run on PostgreSQL would
repeat their check; they are deselected there. The PostgreSQL run needs TEST_DATABASE_URL and
is skipped with that reason without it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import create_engine, event, insert, make_url, text
from sqlalchemy.pool import NullPool

from selector import create_app
from selector import database_url as driver_url
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

#: The tests run on PostgreSQL too (a module, or one test of it) and why; see the docstring.
ON_POSTGRESQL = {
    "test_decide.py": "stores decisions",
    "test_stats.py": "tallies decisions with SQL of each dialect",
    "test_models.py": "runs the migrations up and down",
    "test_resilience.py": "concurrent writers, a database cut off or refusing writes",
    "test_load.py": "the mixed load on a real server",
    "test_search.py": "the search index is built and queried with SQL of each dialect",
    "test_loader.py": "writes a content load in one transaction",
    "test_cli.py": "loads and checks content from the command line",
    "test_site.py::test_sitemap_lists_every_page_absolutely_and_each_answers_200": (
        "a smoke of every page: each address in the sitemap answers 200"
    ),
}
#: The settings every test app starts from.
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    # The limiter is one object for every app in this process; tests that are about limits
    # turn it on.
    "RATELIMIT_ENABLED": False,
}
#: The two templates: the schema the migrations build, and that schema with the content loaded.
SCHEMA, SEEDED = "schema", "seeded"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the PostgreSQL run of every test not listed in ON_POSTGRESQL."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("dialect") == "postgresql"
        module = item.path.name
        listed = module in ON_POSTGRESQL or f"{module}::{item.originalname}" in ON_POSTGRESQL
        (dropped if on_postgresql and not listed else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def load_content(app: Flask, root=DEFAULT_DIR) -> None:
    """Load content files into the app's database and announce the new revision to it."""
    with app.app_context():
        data = read_content(root)
        write_content(db.session, data)
        publish(loaded_revision(db.session))


def build(url: str, instance: Path, seed: bool) -> None:
    """Run the migrations into an empty database, or load the packaged content into a built one."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance))
    if seed:
        load_content(app)
    else:
        with app.app_context():
            flask_migrate.upgrade()
    with app.app_context():
        db.engine.dispose()


class SQLiteTemplates:
    """The two templates as files; a copy is a file copy."""

    def __init__(self, folder: Path) -> None:
        self.files = {kind: folder / f"{kind}.sqlite" for kind in (SCHEMA, SEEDED)}
        build(f"sqlite:///{self.files[SCHEMA]}", folder, seed=False)
        shutil.copyfile(self.files[SCHEMA], self.files[SEEDED])
        build(f"sqlite:///{self.files[SEEDED]}", folder, seed=True)
        # The last connection closed folds the write-ahead log into the file, which alone is copied.
        assert not any(Path(f"{path}-wal").exists() for path in self.files.values())

    def copy(self, kind: str, folder: Path) -> str:
        target = folder / "test.sqlite"
        shutil.copyfile(self.files[kind], target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """Nothing to do: the copy is in the test's own temporary folder."""

    def close(self) -> None:
        """Nothing to do: the templates are in the run's temporary folder."""


class PostgreSQLTemplates:
    """The two templates as databases beside the one TEST_DATABASE_URL names, which is the
    connection that creates and drops them and every test's copy."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = make_url(url)
        self.admin = create_engine(
            driver_url(url), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        base = self.url.database
        self.names = {kind: f"{base}_template_{kind}" for kind in (SCHEMA, SEEDED)}
        self.copies = (f"{base}_copy_{os.getpid()}_{n}" for n in itertools.count())
        for name in self.names.values():
            self._drop(name)  # left by a run that was killed
        self._create(self.names[SCHEMA])
        build(self._url(self.names[SCHEMA]), folder, seed=False)
        self._create(self.names[SEEDED], self.names[SCHEMA])
        build(self._url(self.names[SEEDED]), folder, seed=True)

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str = "template0") -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def copy(self, kind: str, folder: Path) -> str:
        name = next(self.copies)
        self._create(name, self.names[kind])
        return self._url(name)

    def drop(self, url: str) -> None:
        self._drop(str(make_url(url).database))

    def close(self) -> None:
        for name in self.names.values():
            self._drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def dialect(request) -> str:
    if request.param == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(
            "PostgreSQL run skipped: set TEST_DATABASE_URL, "
            "e.g. postgresql://postgres@127.0.0.1:5432/test"
        )
    return request.param


@pytest.fixture(scope="session")
def templates(dialect, tmp_path_factory) -> Iterator[SQLiteTemplates | PostgreSQLTemplates]:
    """The schema and the seeded database of one backend, built once per run."""
    folder = tmp_path_factory.mktemp(f"templates-{dialect}")
    made = (
        SQLiteTemplates(folder)
        if dialect == "sqlite"
        else PostgreSQLTemplates(os.environ["TEST_DATABASE_URL"], folder)
    )
    yield made
    made.close()


@pytest.fixture
def database_url(request, templates, tmp_path) -> Iterator[str]:
    """This test's own database: a copy of the schema alone for `empty_app`, else of the
    seeded database."""
    url = templates.copy(SCHEMA if "empty_app" in request.fixturenames else SEEDED, tmp_path)
    yield url
    templates.drop(url)


@pytest.fixture
def make_app(database_url, tmp_path) -> Iterator:
    """Make apps on this test's database, each with its own settings."""
    apps: list[Flask] = []

    def make(**config) -> Flask:
        app = create_app(
            {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config},
            instance_path=str(tmp_path / "instance"),
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    """An app whose database holds the packaged content and nothing else, in every test."""
    return make_app()


@pytest.fixture
def empty_app(make_app) -> Flask:
    """An app whose database has the current schema and no content."""
    return make_app()


@pytest.fixture
def fresh_app(make_app) -> Flask:
    """An app with the packaged content and no decisions stored yet (the seeded copy, named
    for the tests that change it)."""
    return make_app()


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
