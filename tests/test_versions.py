"""`flask content versions` against a package index on a real socket, answering with responses
recorded from pypi.org on 2026-12-02, httpx2 and the add-ons alembic, django-ninja, flask-admin,
flask-migrate, flask-smorest, pwdlib, pyjwt, pytest-django and sqladmin on 2026-12-07
(tests/recorded/pypi.json: each package's three newest releases,
one file each, trimmed to the fields the command reads)."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from selector import create_app
from selector.content import freshness
from selector.content.package_index import Release
from selector.content.read import read_content
from selector.content.reader import ContentError
from tests.content_tools import copy_content

RECORDED = json.loads((Path(__file__).parent / "recorded" / "pypi.json").read_text())
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def index() -> Iterator[SimpleNamespace]:
    """A package index on 127.0.0.1 serving the recorded answers; tests edit `answers` and
    `delays` to make the index say something else."""
    answers = {f"/pypi/{name}/json": copy.deepcopy(data) for name, data in RECORDED.items()}
    delays: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delays.get(self.path, 0))
            body = answers.get(self.path)
            payload = json.dumps(body or {"message": "Not Found"}).encode()
            try:
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as the timeout test wants

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield SimpleNamespace(
            url=f"http://127.0.0.1:{server.server_address[1]}", answers=answers, delays=delays
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(freshness, "today", lambda: TODAY)
    return copy_content(tmp_path / "content")


def versions(root: Path, index_url: str, *args: str, timeout: float = 5):
    app = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(root),
            "PACKAGE_INDEX_URL": index_url,
            "PACKAGE_INDEX_TIMEOUT": timeout,
        },
        instance_path=str(root.parent / "instance"),
    )
    return app.test_cli_runner().invoke(args=["content", "versions", *args])


def add_release(index, package: str, version: str, requires: str, yanked: bool = False) -> None:
    releases = index.answers[f"/pypi/{package}/json"]["releases"]
    releases[version] = [
        {
            "filename": f"{package}-{version}-py3-none-any.whl",
            "upload_time_iso_8601": "2026-12-01T10:00:00.000000Z",
            "requires_python": requires,
            "yanked": yanked,
        }
    ]


def line(output: str, package: str) -> str:
    return next(row for row in output.splitlines() if row.split()[:1] == [package])


def framework_file(root: Path, slug: str) -> dict:
    return yaml.safe_load((root / "frameworks" / f"{slug}.yaml").read_text())


def test_nothing_drifted(index, content):
    result = versions(content, index.url)
    assert result.exit_code == 0, result.output
    assert line(result.output, "flask").split()[:3] == ["flask", "3.1.3", "3.1.3"]
    assert "drifted" not in result.output
    # The newest by version, not the newest upload: Django 5.2.19 came out after 6.1.3.
    assert line(result.output, "django").split()[:4] == ["django", "6.1.3", "6.1.3", "2026-11-03"]
    assert line(result.output, "flask-sqlalchemy").split()[:3] == [
        "flask-sqlalchemy",
        "3.1.1",
        "3.1.1",
    ]


def test_a_new_patch_release_is_reported_and_written(index, content):
    add_release(index, "flask", "3.1.4", ">=3.9")
    before = (content / "frameworks" / "flask.yaml").read_text()

    result = versions(content, index.url)
    assert result.exit_code == 1
    assert line(result.output, "flask").split() == [
        "flask",
        "3.1.3",
        "3.1.4",
        "2026-12-01",
        ">=3.9",
        "drifted",
    ]
    assert (content / "frameworks" / "flask.yaml").read_text() == before, "only --write writes"

    written = versions(content, index.url, "--write")
    assert written.exit_code == 1
    assert "framework files written, checked on 2026-12-02" in written.output
    block = framework_file(content, "flask")["version"]
    assert block["current"] == "3.1.4"
    assert block["released"] == dt.date(2026, 12, 1)
    assert block["checked"] == TODAY
    assert block["min_python"] == "3.9"
    # Only the version block's lines change: the file keeps its layout and long lines.
    after = (content / "frameworks" / "flask.yaml").read_text()
    changed = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert changed and all(
        line[2:].startswith(("  current:", "  released:", "  checked:", "  min_python:"))
        for line in changed
    ), changed
    # The samples must now run against the new release before the guide can show it.
    with pytest.raises(ContentError, match=re.escape("flask: pins 3.1.3, the guide shows 3.1.4")):
        read_content(content)


def test_a_new_major_line_that_needs_a_newer_python(index, content):
    add_release(index, "django", "7.0", ">=3.14")
    result = versions(content, index.url, "--write")
    assert result.exit_code == 1
    assert line(result.output, "django").split()[2:5] == ["7.0", "2026-12-01", ">=3.14"]
    block = framework_file(content, "django")["version"]
    assert (block["current"], block["min_python"]) == ("7.0", "3.14")


def test_a_yanked_release_does_not_count(index, content):
    add_release(index, "flask", "3.1.4", ">=3.9", yanked=True)
    result = versions(content, index.url)
    assert result.exit_code == 0, result.output
    assert line(result.output, "flask").split()[2] == "3.1.3"


def test_a_package_missing_from_the_index(index, content):
    del index.answers["/pypi/flask-sock/json"]
    result = versions(content, index.url)
    assert result.exit_code == 1
    assert f"flask-sock         0.7.0        not on the index at {index.url}" in result.output


def test_a_timeout_changes_nothing(index, content):
    index.delays["/pypi/quart/json"] = 3
    before = {p: p.read_bytes() for p in (content / "frameworks").glob("*.yaml")}
    result = versions(content, index.url, "--write", timeout=0.5)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "cannot reach the package index" in result.output
    assert "nothing was changed" in result.output
    assert {p: p.read_bytes() for p in before} == before


def test_no_network_at_all(content):
    result = versions(content, "http://127.0.0.1:9")  # the discard port: nothing listens
    assert result.exit_code == 2
    assert "cannot reach the package index" in result.output


@pytest.mark.parametrize(
    ("requires", "floor"),
    [(">=3.12", "3.12"), (">=3.10,<4", "3.10"), ("~=3.11", "3.11"), ("", None), ("<4", None)],
)
def test_the_python_floor_of_a_release(requires, floor):
    assert Release("x", "1.0", TODAY, requires).min_python == floor


def test_a_release_outside_a_range_requirements_in_holds_is_held_not_drifted(index, content):
    """WTForms is held below 3.3 for sqladmin: its 3.3.2 is shown as held; without the hold
    it is a drift."""
    result = versions(content, index.url)
    assert result.exit_code == 0, result.output
    assert line(result.output, "wtforms").split() == [
        "wtforms",
        "3.2.2",
        "3.3.2",
        "2026-11-01",
        ">=3.11",
        "held",
        "(<3.3",
        "in",
        "samples/requirements.in)",
    ]
    requirements = content / "samples" / "requirements.in"
    requirements.write_text(requirements.read_text().replace("wtforms<3.3", "wtforms"))
    result = versions(content, index.url)
    assert result.exit_code == 1
    assert line(result.output, "wtforms").endswith("drifted")
