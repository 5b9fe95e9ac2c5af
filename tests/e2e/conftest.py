"""Browser fixtures: a live server on a free loopback port and Debian's Chromium under Playwright.

Nothing here downloads a browser. Where Chromium, Java or the npm tools are
missing the browser tests are skipped with the way to enable them, except under
CI=true, where a missing tool is a failure.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
import pytest
import yaml
from werkzeug.serving import make_server

from selector import create_app
from selector.content.read import read_content
from selector.content.write import write_content
from selector.engine.answers import normal, query_pairs
from selector.extensions import db
from tests.conftest import require, store_decisions

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
NODE_TOOLS = ROOT / "tools" / "node_modules"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
#: The version-3 answers of the scenario "High-concurrency I/O, WebSockets, streaming", in the
#: contract's order: a new codebase for a single-page app that needs WebSockets, streaming and
#: very many open connections.
REALTIME = "starting_point=new&clients=spa&needs=realtime&needs=streaming&needs=high_concurrency"
#: The public casebook, beside the project as the decision contract's tests read it.
CASEBOOK_PATH = ROOT / "tests" / "casebook.yaml"
#: Casebook situations whose result pages are photographed and checked: a Django team's new
#: product with many needs, a Flask app that must hold thousands of sockets, and editorial
#: content, where a tool outside the four (Wagtail) joins the stack.
SHOT_CASES = (
    "mobile-web-saas-django-team",
    "flask-trading-ui-thousands-sockets",
    "lifestyle-brand-headless-content",
)
#: One address per page type; the form with errors is made by posting the form.
PAGES = {
    "home": "/",
    "guide": "/guide",
    "framework": "/frameworks/flask",
    "compare": "/compare?f=flask&f=django",
    "matrix": "/scenarios",
    "scenario": "/scenarios/realtime-io",
    "form": "/decide",
    "result": f"/decide/result?{REALTIME}",
    "part": "/guide/migration-and-coexistence",
    "rules": "/guide/how-the-answers-decide",
    "sourced-part": "/guide/operations",
    "samples": "/samples",
    "task": "/samples/database-row",
    "measured": "/guide/measured-speed",
    "changes": "/changes",
    "search": "/search?q=websockets",
    "search-misspelt": "/search?q=djnago",
    "stats": "/stats",
    "about": "/about",
    "not-found": "/no-such-page",
}

#: The prefix of a page type in the Japanese edition.
JA = "ja-"


def address(name: str) -> str:
    """The path of a page type, in its edition."""
    return "/ja" + PAGES[name.removeprefix(JA)] if name.startswith(JA) else PAGES[name]


def casebook_result(case_id: str) -> str:
    """The result permalink of a casebook situation's answers: repeated parameters, in the
    contract's order."""
    cases = {case["id"]: case for case in yaml.safe_load(CASEBOOK_PATH.read_text())}
    return f"/decide/result?{urlencode(query_pairs(normal(cases[case_id]['answers'])))}"


def require_chromium() -> None:
    require(
        Path(CHROMIUM).exists(),
        "browser tests need Debian's Chromium: run `make test` as root, "
        "or `apt-get install chromium`",
    )


@contextmanager
def served_site(folder: Path) -> Iterator[str]:
    """The app on SQLite with the packaged content and decisions over four months, served from
    a thread on a free loopback port: the site the browser tests and bench/lighthouse.py see."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}", "SECRET_KEY": "e2e"},
        instance_path=str(folder),
    )
    with app.app_context():
        flask_migrate.upgrade()
        write_content(db.session, read_content())
    # Decisions over four months, so that /stats draws every kind of chart and cell.
    today = dt.datetime.now(dt.UTC)
    for months_ago in range(4):
        when = today - dt.timedelta(days=31 * months_ago + 1)
        firsts = {"flask": 30 + 5 * months_ago, "django": 25, "fastapi": 21, "quart": 8}
        store_decisions(app, firsts, when)
        if months_ago >= 2:
            # Older decisions made with the version-2 questions still count in first choices.
            store_decisions(app, {"flask": 6, "django": 4, "fastapi": 3}, when, 2)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    with served_site(tmp_path_factory.mktemp("live")) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def reader(browser, base_url) -> Iterator:
    """A page in a fresh context with JavaScript turned off: the site ships no script and must
    not need one."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
