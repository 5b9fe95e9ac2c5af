"""/stats, /api/v1/stats and the CSV downloads: anonymous aggregates, no count under 10."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections import Counter
from html import unescape

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from selector import stats, tally
from selector.api import SPEC
from selector.extensions import db
from selector.models import Decision, DecisionTally
from selector.page_cache import store
from selector.schemas import StatsSchema
from selector.snapshot import content
from selector.tally import FEWER, WITHHELD, Cell, Line, protect
from tests.conftest import store_decisions


def tables(page: str) -> dict[str, list[tuple[str, ...]]]:
    """Each table under a chart: caption -> rows of (heading, cells...)."""
    found = {}
    for caption, body in re.findall(r"<caption>([^<]+)</caption>(.*?)</table>", page, re.S):
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", body, re.S)
        found[unescape(caption)] = [
            (unescape(th), *(unescape(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", cells)))
            for th, cells in rows
        ]
    return found


def first_choice(client) -> dict[str, tuple[str, str]]:
    rows = tables(client.get("/stats").get_data(as_text=True))["First choice: the figures"]
    return {name: (count, share) for name, count, share in rows}


def test_the_counts_and_shares_of_first_choices(fresh_app):
    store_decisions(fresh_app, {"django": 30, "flask": 20, "fastapi": 25, "quart": 25})
    assert first_choice(fresh_app.test_client()) == {
        "Flask": ("20", "20%"),
        "FastAPI": ("25", "25%"),
        "Django": ("30", "30%"),
        "Quart": ("25", "25%"),
    }


def test_a_count_under_ten_is_never_shown(fresh_app):
    store_decisions(fresh_app, {"django": 25, "flask": 9})
    client = fresh_app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    shown = first_choice(client)
    assert shown["Django"] == ("25", "74%")
    assert shown["Flask"] == (FEWER, "")
    assert shown["FastAPI"] == shown["Quart"] == (FEWER, "")
    for rows in tables(page).values():
        for row in rows:
            assert not any(re.fullmatch(r"[1-9]", cell) for cell in row[1:]), row
    api = client.get("/api/v1/stats").get_json()
    flask = next(f for f in api["first_choice"] if f["value"] == "flask")
    assert flask == {"value": "flask", "decisions": None, "share": None, "withheld": FEWER}
    download = client.get("/stats/first-choice.csv").get_data(as_text=True)
    assert ["first", "flask", FEWER, ""] in list(csv.reader(io.StringIO(download)))


def test_fewer_than_ten_decisions_in_all_shows_no_figure(fresh_app):
    store_decisions(fresh_app, {"flask": 3})
    client = fresh_app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    assert "Fewer than 10 decisions have been made" in page
    api = client.get("/api/v1/stats").get_json()
    assert api["decisions"]["decisions"] is None
    counts = [f["decisions"] for f in api["first_choice"] + api["runner_up"]]
    counts += [f["decisions"] for q in api["answers"] for f in q["figures"]]
    assert counts and all(count is None for count in counts)


def test_one_small_count_cannot_be_worked_out_from_the_total(fresh_app):
    store_decisions(fresh_app, {"django": 30, "flask": 12, "fastapi": 20, "quart": 5})
    shown = first_choice(fresh_app.test_client())
    assert shown["Quart"] == (FEWER, "")
    # 67 decisions in all: without this, 67 - 30 - 12 - 20 would give Quart's 5.
    assert shown["Flask"] == (WITHHELD, "")
    assert shown["Django"] == ("30", "45%")


@given(st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=5), min_size=1, max_size=6))
def test_no_line_is_left_with_exactly_one_unknown(rows):
    width = max(len(row) for row in rows)
    grid = [[Cell(value) for value in row + [0] * (width - len(row))] for row in rows]
    row_totals = [Cell(sum(c.count for c in row)) for row in grid]
    column_totals = [Cell(sum(row[i].count for row in grid)) for i in range(width)]
    total = Cell(sum(c.count for c in row_totals))
    lines = [
        *(Line(row, whole) for row, whole in zip(grid, row_totals, strict=True)),
        *(Line([row[i] for row in grid], column_totals[i]) for i in range(width)),
        Line(row_totals, total),
        Line(column_totals, total),
    ]
    cells = [total, *row_totals, *column_totals, *(c for row in grid for c in row)]
    protect(cells, lines)
    for cell in cells:
        assert cell.count >= 10 or cell.withheld == FEWER
        assert cell.withheld in (None, FEWER, WITHHELD)
        assert cell.withheld != FEWER or cell.count < 10
    for line in lines:
        assert sum(1 for c in [*line.parts, line.whole] if c.withheld) != 1


def test_every_chart_draws_its_tables_figures(fresh_app):
    store_decisions(fresh_app, {"django": 40, "flask": 25, "fastapi": 33, "quart": 12})
    page = fresh_app.test_client().get("/stats").get_data(as_text=True)
    figures = re.findall(r'<figure class="stat">(.*?)</figure>', page, re.S)
    assert len(figures) >= 2 + len(content_questions(fresh_app)) + 4
    for figure in figures:
        labels = [unescape(t) for t in re.findall(r'<text class="label"[^>]*>([^<]*)<', figure)]
        values = [unescape(t) for t in re.findall(r'<text class="value"[^>]*>([^<]*)<', figure)]
        (rows,) = tables(figure).values()
        # A long label is cut at a word in the chart; the table has it whole.
        assert len(labels) == len(rows)
        for label, row in zip(labels, rows, strict=True):
            assert label == row[0] or (label.endswith("…") and row[0].startswith(label[:-1]))
        assert values == [f"{count} ({share})" if share else count for _, count, share in rows]
        assert re.search(r'<svg class="chart"[^>]* role="img" aria-labelledby="[^"]+"', figure)


def content_questions(app) -> list[str]:
    with app.test_request_context():
        return [q.key for q in content().questions]


def test_each_question_shows_how_it_was_answered(fresh_app):
    store_decisions(fresh_app, {"django": 40, "flask": 40})
    client = fresh_app.test_client()
    api = client.get("/api/v1/stats").get_json()
    by_question = {q["question"]: q["figures"] for q in api["answers"]}
    assert list(by_question) == content_questions(fresh_app)
    with fresh_app.app_context():
        stored = db.session.scalars(select(Decision.answers)).all()
    for key, figures in by_question.items():
        given_count = Counter(answers.get(key) for answers in stored)
        for figure in figures:
            expected = given_count[figure["value"]]
            assert figure["decisions"] in (expected, None)
            assert figure["decisions"] is not None or expected < 10 or figure["withheld"]


def test_the_api_matches_its_openapi_description(fresh_app):
    store_decisions(fresh_app, {"django": 40, "quart": 15})
    response = fresh_app.test_client().get("/api/v1/stats")
    assert response.status_code == 200
    body = response.get_json()
    assert StatsSchema().validate(body) == {}
    assert set(body) == set(SPEC["components"]["schemas"]["Stats"]["properties"])
    assert "/api/v1/stats" in SPEC["paths"]
    assert body["threshold"] == 10
    assert body["decisions"]["decisions"] == 55
    assert {f["value"]: f["decisions"] for f in body["first_choice"]} == {
        "flask": None,
        "fastapi": None,
        "django": 40,
        "quart": 15,
    }


def test_the_downloads_hold_the_pages_figures(fresh_app):
    store_decisions(fresh_app, {"django": 40, "flask": 25, "fastapi": 33, "quart": 12})
    client = fresh_app.test_client()
    shown = first_choice(client)
    response = client.get("/stats/first-choice.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="selector-first-choice.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    with fresh_app.test_request_context():
        names = {f.slug: f.name for f in content().frameworks}
    firsts = {names[r["framework"]]: r["decisions"] for r in rows if r["place"] == "first"}
    assert firsts == {name: count for name, (count, _) in shown.items()}
    for name in ("answers", "months"):
        assert client.get(f"/stats/{name}.csv").status_code == 200
    assert client.get("/stats/secrets.csv").status_code == 404


def test_months_are_counted_apart(fresh_app):
    store_decisions(
        fresh_app, {"flask": 12, "django": 10}, dt.datetime(2026, 10, 15, tzinfo=dt.UTC)
    )
    late_november = dt.datetime(2026, 11, 30, 23, 59, tzinfo=dt.UTC)
    store_decisions(fresh_app, {"django": 20, "flask": 11}, late_november)
    months = fresh_app.test_client().get("/api/v1/stats").get_json()["months"]
    assert [(m["month"], m["decisions"]["decisions"]) for m in months] == [
        ("2026-10", 22),
        ("2026-11", 31),
    ]
    november = {f["value"]: f["decisions"] for f in months[1]["first_choice"]}
    assert november == {"flask": 11, "fastapi": None, "django": 20, "quart": None}


def _tallied_total(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.coalesce(func.sum(DecisionTally.count), 0)).where(
                DecisionTally.dimension == "total"
            )
        )


def test_refreshes_at_once_count_each_decision_once(fresh_app, monkeypatch):
    store_decisions(fresh_app, {"django": 60, "flask": 57})
    monkeypatch.setattr(tally, "CHUNK", 7)
    now = dt.datetime.now(dt.UTC)
    failures = []

    def refresh() -> None:
        try:
            with fresh_app.app_context():
                tally.refresh(db.session, now, dt.timedelta(0))
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with fresh_app.app_context():
        tally.refresh(db.session, now, dt.timedelta(0))
    assert _tallied_total(fresh_app) == 117


def test_a_decision_just_stored_waits_for_the_next_refresh(fresh_app):
    now = dt.datetime.now(dt.UTC)
    store_decisions(fresh_app, {"flask": 1}, now)
    with fresh_app.app_context():
        tally.refresh(db.session, now, dt.timedelta(0))
        assert _tallied_total(fresh_app) == 0
        tally.refresh(db.session, now + tally.SETTLE + dt.timedelta(seconds=1), dt.timedelta(0))
    assert _tallied_total(fresh_app) == 1


def test_the_page_is_drawn_and_the_tallies_refreshed_at_most_once_a_minute(fresh_app, monkeypatch):
    store_decisions(fresh_app, {"django": 20})
    client = fresh_app.test_client()
    first = client.get("/stats")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    store_decisions(fresh_app, {"flask": 15})
    assert client.get("/stats").get_data() == first.get_data()
    # Drawn again within the minute, the page still shows the tallies as they were.
    store(fresh_app).pages.clear()
    assert first_choice(client)["Flask"] == (FEWER, "")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
    monkeypatch.setattr(stats, "clock", lambda: later)
    store(fresh_app).pages.clear()
    assert first_choice(client)["Flask"] == ("15", "43%")


def test_a_posted_decision_is_counted(fresh_app, monkeypatch):
    client = fresh_app.test_client()
    store_decisions(fresh_app, {"flask": 10})
    for _ in range(10):
        answered = client.post(
            "/decide", data={"batteries": "yes", "async_or_typed": "no", "assemble": "no"}
        )
        assert answered.status_code == 303
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    monkeypatch.setattr(stats, "clock", lambda: later)
    assert client.get("/api/v1/stats").get_json()["decisions"]["decisions"] == 20
