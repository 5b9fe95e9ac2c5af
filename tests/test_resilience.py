"""Failing safely: rate limits, a database that goes away, concurrent writers, several workers."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from selector import create_app
from selector.content.read import read_content
from selector.extensions import db, limiter
from selector.models import Aspect, ContentRevision, Decision, Framework
from tests.conftest import load_content, require
from tests.content_tools import copy_content, multiply

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {
    "starting_point": "new",
    "clients": ["spa"],
    "needs": ["realtime", "streaming", "high_concurrency"],
}
API = "/api/v2/recommendations"


def hidden(answers: dict) -> list[str]:
    """The hidden fields of a form that sends the answers again: one per value given."""
    return [
        f'<input type="hidden" name="{key}" value="{value}">'
        for key, values in answers.items()
        for value in ([values] if isinstance(values, str) else values)
    ]


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Decision))


@pytest.fixture
def limited(make_app, fresh_app):
    return make_app(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="3 per minute")


def test_form_over_the_limit_gets_429_with_retry_after_and_keeps_the_answers(limited):
    client = limited.test_client()
    for _ in range(3):
        assert client.post("/decide", data=ANSWERS).status_code == 303
    response = client.post("/decide", data=ANSWERS)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "were not saved" in page
    for field in hidden(ANSWERS):
        assert field in page
    assert stored(limited) == 3


def test_redis_going_away_costs_the_shared_cache_and_limits_not_pages_or_answers(
    make_app, fresh_app
):
    # Nothing listens on port 1: every Redis call fails at once, as after an outage.
    away = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=True)
    client = away.test_client()
    for path in ("/guide", "/guide", "/scenarios/json-api"):
        assert client.get(path).status_code == 200
    assert client.post("/decide", data=ANSWERS).status_code == 303
    assert client.post(API, json={"answers": ANSWERS}).status_code == 200
    old = {"batteries": "no", "async_or_typed": "yes", "assemble": "no"}
    assert client.post("/api/v1/recommendations", json={"answers": old}).status_code == 200
    assert stored(away) == 1


@pytest.fixture
def full_redis(tmp_path):
    """A Redis of its own, one megabyte, that refuses every write once full."""
    require(bool(shutil.which("redis-server")), "a full Redis needs redis-server installed")
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "1mb",
            "--maxmemory-policy",
            "noeviction",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        refused = False
        for n in range(10_000):
            try:
                client.set(f"ballast:{n}", "x" * 10_000)
            except redis.ResponseError:
                refused = True
                break
        assert refused, "the ballast filled the store"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("where", ["full", "away"])
def test_rate_limits_hold_when_redis_is_full_or_away_and_the_log_says_so(
    make_app, fresh_app, full_redis, monkeypatch, caplog, where
):
    # The limiter is one object for every app in this process; each test starts it healthy.
    monkeypatch.setattr(limiter, "_storage_dead", False)
    url = full_redis if where == "full" else "redis://127.0.0.1:1/0"
    app = make_app(REDIS_URL=url, RATELIMIT_ENABLED=True, POST_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post(API, json={"answers": ANSWERS}).status_code for _ in range(6)]
    assert codes.count(200) == 3 and codes.count(429) == 3, codes
    assert "falling back to in-memory storage" in caplog.text
    assert client.get("/guide").status_code == 200


def test_an_operator_reads_in_the_log_that_limits_count_in_memory(make_app, fresh_app, capsys):
    """Not only a test's log capture: the warning reaches the process's own error stream."""
    limiter._storage_dead = False  # the limiter is shared by every app in this process
    away = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=True)
    away.test_client().post(API, json={"answers": ANSWERS})
    limiter._storage_dead = False
    assert "falling back to in-memory storage" in capsys.readouterr().err


@pytest.mark.parametrize("body", ["notjson", '"str"', "123", "[1]", "{}"])
@pytest.mark.parametrize("csrf", [True, False])
def test_a_json_body_posted_to_the_form_gets_the_form_back(make_app, fresh_app, body, csrf):
    client = make_app(WTF_CSRF_ENABLED=csrf).test_client()
    response = client.post("/decide", data=body, content_type="application/json")
    assert response.status_code == (400 if csrf else 422)
    assert 'role="alert"' in response.get_data(as_text=True)
    assert stored(fresh_app) == 0


def test_posts_refused_for_their_token_count_against_the_limit(make_app, fresh_app):
    app = make_app(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="3 per minute", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/decide", data=ANSWERS).status_code for _ in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    assert stored(app) == 0


def test_api_over_the_limit_gets_429_json_with_retry_after(limited):
    client = limited.test_client()
    codes = [client.post(API, json={"answers": ANSWERS}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.post(API, json={"answers": ANSWERS})
    assert "Retry-After" in response.headers
    assert "errors" in response.get_json()


@contextmanager
def database_cut_off(app, database_url: str):
    """Make the database unreachable for the app, then bring it back."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        with app.app_context():
            db.engine.dispose()
        path.rename(path.with_suffix(".away"))
        path.mkdir()  # a folder where the file was: SQLite cannot open it
        try:
            yield
        finally:
            path.rmdir()
            path.with_suffix(".away").rename(path)
        return
    admin = url.set(database="postgres", drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false')
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (url.database,),
        )
        try:
            yield
        finally:
            connection.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true')


def test_database_cut_off_serves_what_is_in_memory_refuses_writes_and_recovers(
    make_app, fresh_app, database_url
):
    client = fresh_app.test_client()
    assert client.get("/guide").status_code == 200
    with database_cut_off(fresh_app, database_url):
        # Content this worker has read is still served.
        assert client.get("/guide").status_code == 200
        assert client.get("/scenarios/json-api").status_code == 200
        # A worker that has read nothing yet cannot make pages.
        cold = make_app().test_client().get("/guide")
        assert cold.status_code == 503
        assert cold.headers["Retry-After"] == "30"
        assert "briefly unavailable" in cold.get_data(as_text=True)
        posted = client.post("/decide", data=ANSWERS)
        text = posted.get_data(as_text=True)
        assert posted.status_code == 503
        assert posted.headers["Retry-After"] == "30"
        assert "so your answers were not saved" in text
        for field in hidden(ANSWERS):
            assert field in text
        assert "Traceback" not in text and "sqlalchemy" not in text.lower()
        assert client.get("/readyz").status_code == 503
    assert make_app().test_client().get("/guide").status_code == 200
    assert client.post("/decide", data=ANSWERS).status_code == 303
    assert stored(fresh_app) == 1


def _submit_many(database_url: str, count: int, start, results) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "TESTING": True,
        }
    )
    client = app.test_client()
    start.wait()  # every writer begins at once
    results.extend([client.post("/decide", data=ANSWERS).status_code for _ in range(count)])


def test_sqlite_commits_wait_for_the_lock_and_skip_the_per_commit_sync(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite settings")
    with app.app_context(), db.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL: safe in WAL mode
        assert pragma("PRAGMA busy_timeout").scalar() == 5000


def test_concurrent_writers_never_meet_a_locked_database(fresh_app, database_url):
    processes, per_process = 4, 50
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        results, start = manager.list(), manager.Barrier(processes)
        workers = [
            context.Process(target=_submit_many, args=(database_url, per_process, start, results))
            for _ in range(processes)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        codes = list(results)
    assert codes == [303] * (processes * per_process)
    assert stored(fresh_app) == processes * per_process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PROCFILE_WEB = next(
    line.removeprefix("web:").strip()
    for line in (ROOT / "Procfile").read_text().splitlines()
    if line.startswith("web:")
)
SERVERS = {
    # What the platform runs: the Procfile's web line, through a shell as Procfiles are.
    "procfile": ["sh", "-c", PROCFILE_WEB],
    # The documented alternative for platforms that expect gunicorn.
    "gunicorn": [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
}


@contextmanager
def production_server(server: str, environment: dict[str, str], workers: int = 4):
    port = free_port()
    process = subprocess.Popen(
        SERVERS[server],
        cwd=ROOT,
        env={
            **os.environ,
            **environment,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(workers),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(process.stderr.read().decode() if process.poll() else "no answer")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        for _ in range(100):
            if len(children.read_text().split()) >= workers:
                break
            time.sleep(0.1)
        time.sleep(2)  # the last workers to start are still importing the app
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def api_status(base: str) -> int:
    request = urllib.request.Request(
        f"{base}{API}",
        data=b'{"answers": {"starting_point": "new", "clients": ["pages"]}}',
        headers={"Content-Type": "application/json", "Connection": "close"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(base: str, count: int) -> list[int]:
    """Send requests eight at a time, so that every worker gets some."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: api_status(base), range(count)))


@pytest.mark.parametrize("server", SERVERS)
def test_rate_limit_holds_across_four_workers_with_redis(app, database_url, server):
    if not database_url.startswith("postgresql"):
        pytest.skip("the multi-worker run uses PostgreSQL; it runs in the PostgreSQL pass")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    environment = {
        "DATABASE_URL": database_url,
        "FLASK_SECRET_KEY": "x" * 48,
        "FLASK_TRUSTED_HOSTS": '["127.0.0.1"]',
        "FLASK_SERVER_NAME": "127.0.0.1",
        "FLASK_FORCE_HTTPS": "false",
        "FLASK_POST_RATE_LIMIT": "5 per minute",
    }
    # In each worker's memory the limit is counted four times over: more than 5 get through.
    separately = {**environment, "FLASK_RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    with production_server(server, separately) as base:
        separate = burst(base, 40)
    assert separate.count(200) > 5
    # In Redis the workers share one count: exactly 5 get through.
    shared = {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "FLASK_RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
    }
    with production_server(server, {**environment, **shared}) as base:
        codes = burst(base, 40)
    assert codes.count(200) == 5
    assert codes.count(429) == 35


@contextmanager
def writes_refused(app, database_url: str, kind: str):
    """Make the database refuse writes: read-only, or (SQLite) a disk with no room left."""
    url = make_url(database_url)
    with app.app_context():
        engine = db.engine
    if url.get_backend_name() == "sqlite":

        def refuse(dbapi_connection, record) -> None:
            if kind == "read-only":
                dbapi_connection.execute("PRAGMA query_only = ON")
                return
            # Out of WAL mode the file is the whole database, so its size limit bites at once.
            mode = dbapi_connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            assert mode == "delete", f"journal mode stayed {mode}: another connection is open"
            # Free pages left by earlier tests' dropped tables would absorb the writes.
            dbapi_connection.execute("VACUUM")
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        engine.dispose()
        event.listen(engine, "connect", refuse)
        try:
            yield
        finally:
            event.remove(engine, "connect", refuse)
            engine.dispose()
        return
    if kind == "full":
        pytest.skip("a full disk is simulated on SQLite; PostgreSQL is tested read-only")
    admin = url.set(database="postgres", drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'
        )
        engine.dispose()
        try:
            yield
        finally:
            connection.execute(
                f'ALTER DATABASE "{url.database}" RESET default_transaction_read_only'
            )
            engine.dispose()


@pytest.mark.parametrize("kind", ["read-only", "full"])
def test_database_that_cannot_write_serves_reads_and_refuses_writes_whole(
    fresh_app, database_url, kind
):
    fresh_app.test_client().post("/decide", data=ANSWERS)
    other = {**ANSWERS, "starting_point": "flask", "design_owner": "yes"}
    with writes_refused(fresh_app, database_url, kind):
        fresh_app.extensions.pop("selector.content.snapshot", None)  # read the content afresh
        client = fresh_app.test_client()
        assert client.get("/guide").status_code == 200
        assert client.get("/decide").status_code == 200
        for _ in range(500):  # a full disk refuses once the free space in its pages is used
            posted = client.post("/decide", data=other)
            if posted.status_code != 303:
                break
        assert posted.status_code == 503
        assert "your answers were not saved" in posted.get_data(as_text=True)
    with fresh_app.app_context():
        rows = list(db.session.scalars(select(Decision)))
    # What was accepted before the refusal is whole; the refused one left nothing.
    assert all(row.answers in (ANSWERS, other) and row.framework for row in rows)
    assert rows[0].answers == ANSWERS
    if kind == "read-only":
        assert len(rows) == 1


def test_a_killed_content_load_leaves_the_old_or_the_new_content_whole(
    fresh_app, database_url, tmp_path
):
    bigger = copy_content(tmp_path / "bigger")
    multiply(bigger, 2)
    old, new = read_content(), read_content(bigger)
    command = [sys.executable, "-m", "flask", "--app", "selector", "content", "load"]
    # The load echoes each SQL statement it sends, so it is killed at a chosen write whatever
    # the machine's speed (a kill after a fixed time lands wherever reading the files has got to).
    environment = {**os.environ, "DATABASE_URL": database_url, "FLASK_SQLALCHEMY_ECHO": "true"}

    def load(kill_at: int | None) -> int:
        """Load the bigger content, killed once it has sent kill_at writes (None: never);
        return the writes it sent."""
        process = subprocess.Popen(
            [*command, "--dir", str(bigger)],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        writes, said = 0, []
        for line in process.stdout:
            said = [*said[-4:], line[:300]]
            _, echoed, statement = line.partition(" sqlalchemy.engine.Engine ")
            writes += bool(echoed) and statement.startswith(("INSERT", "UPDATE", "DELETE"))
            if writes == kill_at:
                process.kill()
                break
        process.wait()
        process.stdout.close()
        assert writes == (kill_at or writes), f"ended before write {kill_at}: {''.join(said)}"
        assert kill_at or process.returncode == 0, "".join(said)
        return writes

    def served(kill_at: int | None) -> str | None:
        """The digest of the content the site serves, once it is seen to be one content whole;
        the old content is loaded back for the next try."""
        with fresh_app.app_context():
            state = (
                db.session.scalar(select(ContentRevision.digest)),
                db.session.scalar(select(func.count()).select_from(Framework)),
                db.session.scalar(select(func.count()).select_from(Aspect)),
            )
            db.session.remove()
        wholes = {(c.digest, len(c.frameworks), len(c.aspects)) for c in (old, new)}
        assert state in wholes, (kill_at, state)
        if state[0] == new.digest:
            load_content(fresh_app)
        assert fresh_app.test_client().get("/frameworks/flask").status_code == 200
        return state[0]

    writes = load(None)
    assert served(None) == new.digest
    # Killed at its first write, amid its writes and at its last one, before its commit.
    for kill_at in (1, writes // 2, writes):
        load(kill_at)
        served(kill_at)
