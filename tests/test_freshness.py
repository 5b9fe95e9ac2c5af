"""Facts that age: how long ago each was checked, a notice past the limit, and the operator's
check. The clock is injected (selector.content.freshness.today)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from selector.content import freshness
from selector.content.read import read_content

CONTENT = read_content()
#: The oldest framework check of the packaged content: it decides the notice.
OLDEST = min(f.version.checked for f in CONTENT.frameworks)
PAGES = ["/frameworks/flask", "/compare", "/compare?f=flask&f=django", "/guide"]
NOTICE = "These facts may be out of date."


def oldest_on(path: str) -> dt.date:
    """The oldest date a page shows: the guide adds its parts' dates to the versions'."""
    dates = [f.version.checked for f in CONTENT.frameworks]
    if path == "/guide":
        dates += [s.checked for s in CONTENT.sections if s.checked]
    if path == "/frameworks/flask":
        dates = [f.version.checked for f in CONTENT.frameworks if f.slug == "flask"]
        dates += [s.checked for s in CONTENT.sections if s.framework == "flask" and s.checked]
    return min(dates)


def days_after_oldest(monkeypatch, days: int, oldest: dt.date = OLDEST) -> None:
    monkeypatch.setattr(freshness, "today", lambda: oldest + dt.timedelta(days=days))


@pytest.mark.parametrize("path", PAGES)
def test_no_notice_at_59_days(client, monkeypatch, path):
    days_after_oldest(monkeypatch, 59, oldest_on(path))
    page = client.get(path).get_data(as_text=True)
    assert NOTICE not in page
    # The frameworks' own checks are the dates every one of these pages shows.
    assert f"{59 - (OLDEST - oldest_on(path)).days} days ago" in page


@pytest.mark.parametrize("path", PAGES)
def test_a_notice_with_the_date_at_61_days(client, monkeypatch, path):
    # The same page, read a day before, is in the page cache: the day is part of its key.
    days_after_oldest(monkeypatch, 60, oldest_on(path))
    client.get(path)
    days_after_oldest(monkeypatch, 61, oldest_on(path))
    page = client.get(path).get_data(as_text=True)
    assert page.count(NOTICE) == 1
    named = re.search(r'The oldest was checked on <time datetime="([\d-]+)">', page).group(1)
    assert named == oldest_on(path).isoformat()
    assert "61 days ago" in page


def test_the_limit_is_a_setting(make_app, monkeypatch):
    from tests.conftest import load_content

    app = make_app(STALE_AFTER_DAYS=10)
    load_content(app)
    days_after_oldest(monkeypatch, 11)
    assert NOTICE in app.test_client().get("/frameworks/django").get_data(as_text=True)


def test_a_fresh_check_says_today(client, monkeypatch):
    days_after_oldest(monkeypatch, 0)
    assert "checked <time" in client.get("/frameworks/quart").get_data(as_text=True)
    assert ", today</small>" in client.get("/frameworks/quart").get_data(as_text=True)


def test_the_operator_check_fails_on_an_old_date(runner, monkeypatch):
    days_after_oldest(monkeypatch, 61)
    result = runner.invoke(args=["content", "check", "--max-age", "60"])
    assert result.exit_code == 1
    assert f"frameworks/flask.yaml: version.checked: checked {OLDEST.isoformat()}, " in (
        result.output
    )
    assert "older than 60 days" in result.output


def test_the_operator_check_passes_within_the_age(runner, monkeypatch):
    oldest_of_all = min(
        [f.version.checked for f in CONTENT.frameworks]
        + [f.checked for f in CONTENT.facts]
        + [s.checked for s in CONTENT.sections if s.checked]
    )
    monkeypatch.setattr(freshness, "today", lambda: oldest_of_all + dt.timedelta(days=60))
    result = runner.invoke(args=["content", "check", "--max-age", "60"])
    assert result.exit_code == 0, result.output
    assert "content valid" in result.output
