"""/stats, /api/v1/stats and the CSV downloads: anonymous aggregates, no count under 10.

Decisions are stored here as the model holds them (version, answers as given, first choice,
runner-up), not through the form, except where the form's own decisions are the point.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections.abc import Mapping, Sequence
from html import unescape

from hypothesis import given
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from sqlalchemy import delete, insert, select, update

from selector.content.snapshot import content
from selector.decisions import tally
from selector.decisions.tally import FEWER, Cell
from selector.edge.page_cache import store
from selector.engine.answers import ANSWERS, VERSION, from_v2
from selector.extensions import db
from selector.models import Decision, DecisionTally, TallyMark
from selector.web import stats
from selector.web.api import SPEC

#: Version-3 answer sets as the form stores them (a multi-valued answer as a list), taken in
#: turn by the decisions a test stores.
V3_ANSWERS: list[dict[str, str | list[str]]] = [
    {"starting_point": "new", "clients": ["pages"], "needs": ["admin", "accounts", "relational"]},
    {"starting_point": "django", "clients": ["pages", "spa"], "needs": ["realtime"]},
    {
        "starting_point": "new",
        "clients": ["services"],
        "needs": ["typed_contract"],
        "team_skills": ["fastapi", "async"],
        "team_size": "small",
    },
    {"starting_point": "flask", "clients": ["pages"], "structure": "assemble"},
    {
        "starting_point": "other",
        "clients": ["spa", "services"],
        "needs": [],
        "team_skills": ["none"],
        "design_owner": "no",
    },
]
#: Version-2 answer sets as the version-2 form stored them.
V2_ANSWERS: list[dict[str, str | list[str]]] = [
    {"batteries": "yes", "async_or_typed": "no", "assemble": "no", "design_owner": "yes"},
    {"batteries": "no", "async_or_typed": "yes", "assemble": "yes", "workload": "json_api"},
]
RUNNER_UP = {"flask": "quart", "fastapi": "flask", "django": "fastapi", "quart": None}


def store_decisions(
    app,
    firsts: Mapping[str, int],
    when: dt.datetime | None = None,
    *,
    version: int = VERSION,
    answers: Sequence[Mapping[str, str | list[str]]] | None = None,
) -> None:
    """Store that many decisions that put each framework first, made at `when` (an hour ago:
    settled) in `version`, their answers taken in turn from `answers`."""
    when = when or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    sets = answers or (V3_ANSWERS if version == VERSION else V2_ANSWERS)
    rows = [
        {
            "version": version,
            "answers": dict(sets[n % len(sets)]),
            "framework": slug,
            "runner_up": RUNNER_UP[slug],
            "created_at": when,
        }
        for slug, count in firsts.items()
        for n in range(count)
    ]
    with app.app_context():
        if rows:
            db.session.execute(insert(Decision), rows)
        db.session.commit()


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


def test_counts_are_rounded_to_ten_and_shares_come_from_the_rounded_counts(fresh_app):
    store_decisions(fresh_app, {"django": 30, "flask": 20, "fastapi": 25, "quart": 24})
    # 99 decisions: about 100 in all.
    assert first_choice(fresh_app.test_client()) == {
        "Flask": ("20", "20%"),
        "FastAPI": ("30", "30%"),
        "Django": ("30", "30%"),
        "Quart": ("20", "20%"),
    }


def test_a_count_under_ten_is_never_shown(fresh_app):
    store_decisions(fresh_app, {"django": 40, "flask": 9})
    client = fresh_app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    shown = first_choice(client)
    assert shown["Django"] == ("40", "80%")
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


def published(app) -> dict:
    """Every figure the API gives for the decisions stored now, counted afresh."""
    with app.app_context():
        db.session.execute(delete(DecisionTally))
        db.session.execute(update(TallyMark).values(last_decision=0, refreshed_at=None))
        db.session.commit()
    store(app).pages.clear()
    figures = app.test_client().get("/api/v1/stats").get_json()
    figures.pop("refreshed_at")
    return figures


def test_a_small_count_cannot_be_worked_out_by_subtraction(fresh_app):
    """Two sets of decisions that differ only in a small count publish the same figures, so
    no subtraction, within a table or across tables, can recover it (a hostile review's case:
    exact counts gave FastAPI's 7 in October as 69 - 62 once Flask and Quart were shown 0)."""
    october, november = (dt.datetime(2026, m, 10, tzinfo=dt.UTC) for m in (10, 11))
    store_decisions(fresh_app, {"django": 52, "fastapi": 6}, november)
    store_decisions(fresh_app, {"django": 62, "fastapi": 7}, october)
    with_seven = published(fresh_app)
    with fresh_app.app_context():
        last_two = select(Decision.id).order_by(Decision.id.desc()).limit(2).scalar_subquery()
        db.session.execute(delete(Decision).where(Decision.id.in_(last_two)))
        db.session.commit()
    with_five = published(fresh_app)
    assert with_five == with_seven
    october_fastapi = with_seven["months"][0]["first_choice"][1]
    assert october_fastapi == {
        "value": "fastapi",
        "decisions": None,
        "share": None,
        "withheld": FEWER,
    }


@given(st.integers(0, 10_000))
def test_a_shown_count_is_within_five_of_the_true_one(count):
    cell = Cell(count)
    if count < 10:
        assert cell.shown is None and cell.text() == FEWER
    else:
        assert cell.shown % 10 == 0 and abs(cell.shown - count) <= 5


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


def wording(app, key: str) -> tuple[str, dict[str, str]]:
    """A question's short name and each value's brief wording, as content gives them."""
    with app.test_request_context():
        q = next(q for q in content().questions if q.key == key)
        return q.short, {c["value"]: q.brief(c["value"]) for c in q.choices}


def answer_table(app, page: str, key: str) -> dict[str, tuple[str, str]]:
    """The table under a question's chart: answer as worded -> (decisions, share)."""
    short, _ = wording(app, key)
    return {label: (count, share) for label, count, share in tables(page)[f"{short}: the figures"]}


def answer_counts(figures: dict) -> dict[str, dict[str | None, int | None]]:
    """/api/v1/stats' answers: question -> value -> decisions."""
    return {
        q["question"]: {f["value"]: f["decisions"] for f in q["figures"]}
        for q in figures["answers"]
    }


def test_a_decision_with_two_needs_counts_in_both_needs_rows(fresh_app):
    store_decisions(
        fresh_app,
        {"django": 20},
        answers=[{"starting_point": "new", "clients": ["pages"], "needs": ["admin", "accounts"]}],
    )
    store_decisions(
        fresh_app,
        {"flask": 10, "fastapi": 10},
        answers=[
            {"starting_point": "flask", "clients": ["spa"], "needs": []},
            {"starting_point": "fastapi", "clients": ["services"]},
        ],
    )
    client = fresh_app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    _, needs = wording(fresh_app, "needs")
    shown = answer_table(fresh_app, page, "needs")
    # Shares are of the 40 decisions; a decision counts once for each need it ticked.
    assert shown[needs["admin"]] == shown[needs["accounts"]] == ("20", "50%")
    assert shown[needs["relational"]] == (FEWER, "")
    # Those that ticked none, with an empty list or no list at all.
    assert shown[str(stats.NONE_TICKED)] == ("20", "50%")
    assert list(shown) == [*needs.values(), str(stats.NONE_TICKED)]
    assert "a decision counts once for each it gave" in page
    counts = answer_counts(client.get("/api/v1/stats").get_json())
    assert counts["needs"] == {
        **dict.fromkeys(ANSWERS["needs"]),
        "admin": 20,
        "accounts": 20,
        None: 20,
    }


def test_a_version_2_decision_counts_in_first_choices_but_not_in_the_answers(fresh_app):
    store_decisions(
        fresh_app,
        {"django": 30},
        answers=[{"starting_point": "new", "clients": ["pages"], "design_owner": "no"}],
    )
    # Version 2's "yes" to batteries carries over to three needs, and its design_owner is
    # version 3's too: none of it counts in version 3's charts.
    store_decisions(fresh_app, {"flask": 40}, version=2, answers=[V2_ANSWERS[0]])
    assert set(from_v2(V2_ANSWERS[0])["needs"]) >= {"admin", "accounts", "relational"}
    client = fresh_app.test_client()
    page = client.get("/stats").get_data(as_text=True)
    assert first_choice(client)["Flask"] == ("40", "57%")
    assert first_choice(client)["Django"] == ("30", "43%")
    assert "about 70 recommendations" in page
    assert "count only the decisions made with the current questions (30 so far)" in page
    _, needs = wording(fresh_app, "needs")
    shown = answer_table(fresh_app, page, "needs")
    assert all(shown[needs[value]] == (FEWER, "") for value in ANSWERS["needs"])
    assert shown[str(stats.NONE_TICKED)] == ("30", "100%")
    _, owner = wording(fresh_app, "design_owner")
    owners = answer_table(fresh_app, page, "design_owner")
    assert owners[owner["yes"]] == (FEWER, "")
    assert owners[owner["no"]] == ("30", "100%")
    _, starts = wording(fresh_app, "starting_point")
    assert answer_table(fresh_app, page, "starting_point")[starts["new"]] == ("30", "100%")
    figures = client.get("/api/v1/stats").get_json()
    assert {q["question"] for q in figures["answers"]} == set(ANSWERS)
    assert answer_counts(figures)["design_owner"] == {"yes": None, "no": 30, None: None}
    assert {f["value"]: f["decisions"] for f in figures["first_choice"]}["flask"] == 40


def test_the_needs_and_starting_point_charts_are_drawn_beside_their_tables(fresh_app):
    store_decisions(fresh_app, {"django": 40, "flask": 25, "fastapi": 33, "quart": 12})
    page = fresh_app.test_client().get("/stats").get_data(as_text=True)
    for key, unanswered in (("needs", [str(stats.NONE_TICKED)]), ("starting_point", [])):
        short, words = wording(fresh_app, key)
        found = re.search(
            rf'<h3 id="answer-{key}-heading">([^<]*)</h3>\s*<figure class="stat">(.*?)</figure>',
            page,
            re.S,
        )
        assert found, key
        heading, figure = found.groups()
        assert unescape(heading) == short
        assert re.search(
            rf'<svg class="chart"[^>]* role="img" aria-labelledby="answer-{key}', figure
        )
        (rows,) = tables(figure).values()
        assert [row[0] for row in rows] == [*words.values(), *unanswered]
        bars = re.findall(r'<text class="value"[^>]*>([^<]*)<', figure)
        assert [unescape(b) for b in bars] == [
            f"{count} ({share})" if share else count for _, count, share in rows
        ]


def test_the_answers_download_counts_the_current_questions(fresh_app):
    store_decisions(
        fresh_app,
        {"django": 20, "fastapi": 10},
        answers=[
            {"starting_point": "django", "clients": ["pages"], "needs": ["admin", "realtime"]},
            {"starting_point": "new", "clients": ["spa"], "needs": ["admin"]},
        ],
    )
    store_decisions(fresh_app, {"flask": 30}, version=2)
    client = fresh_app.test_client()
    response = client.get("/stats/answers.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["question"] for row in rows} == set(ANSWERS)
    figures = {(row["question"], row["answer"]): (row["decisions"], row["share"]) for row in rows}
    # Of the 30 decisions made with the current questions.
    assert figures["needs", "admin"] == ("30", "1.000")
    assert figures["needs", "realtime"] == ("20", "0.667")
    assert figures["needs", "unanswered"] == (FEWER, "")
    assert figures["starting_point", "django"] == ("20", "0.667")
    assert ("starting_point", "unanswered") not in figures
    assert figures["team_size", "unanswered"] == ("30", "1.000")
    firsts = list(csv.DictReader(io.StringIO(client.get("/stats/first-choice.csv").get_data(True))))
    assert {r["framework"]: r["decisions"] for r in firsts if r["place"] == "first"} == {
        "flask": "30",
        "fastapi": "10",
        "django": "20",
        "quart": FEWER,
    }


def test_each_question_shows_how_it_was_answered(fresh_app):
    """Every current question, every value of it, counted over the decisions made with it: a
    multi-valued answer once per value it gave, a version-2 decision not at all."""
    # 80 version-3 decisions: each of the five V3_ANSWERS sets 16 times.
    store_decisions(fresh_app, {"django": 40, "flask": 40})
    store_decisions(fresh_app, {"fastapi": 30}, version=2)
    api = fresh_app.test_client().get("/api/v1/stats").get_json()
    assert api["answered"]["decisions"] == 80
    shown = {
        q["question"]: [(f["value"], f["decisions"], f["share"]) for f in q["figures"]]
        for q in api["answers"]
    }
    # Counts of 16, 32, 48 and 64 shown as 20, 30, 50 and 60, shares of the 80; none under 10.
    assert shown == {
        "starting_point": [
            ("new", 30, 0.375),
            ("flask", 20, 0.25),
            ("fastapi", None, None),
            ("django", 20, 0.25),
            ("quart", None, None),
            ("other", 20, 0.25),
        ],
        "clients": [("pages", 50, 0.625), ("spa", 30, 0.375), ("services", 30, 0.375)],
        "needs": [
            ("admin", 20, 0.25),
            ("accounts", 20, 0.25),
            ("relational", 20, 0.25),
            ("typed_contract", 20, 0.25),
            ("realtime", 20, 0.25),
            ("streaming", None, None),
            ("background_jobs", None, None),
            ("high_concurrency", None, None),
            ("ml_inference", None, None),
            ("editorial", None, None),
            (None, 30, 0.375),
        ],
        "team_skills": [
            ("flask", None, None),
            ("django", None, None),
            ("fastapi", 20, 0.25),
            ("async", 20, 0.25),
            ("none", 20, 0.25),
            (None, 50, 0.625),
        ],
        "team_size": [
            ("solo", None, None),
            ("small", 20, 0.25),
            ("large", None, None),
            (None, 60, 0.75),
        ],
        "structure": [("conventions", None, None), ("assemble", 20, 0.25), (None, 60, 0.75)],
        "design_owner": [("yes", None, None), ("no", 20, 0.25), (None, 60, 0.75)],
    }
    assert list(shown) == content_questions(fresh_app)
    for question in api["answers"]:
        for figure in question["figures"]:
            assert figure["withheld"] == (FEWER if figure["decisions"] is None else None)


def openapi_problems(body: dict, schema: str = "Stats") -> list[str]:
    """Where `body` breaks the published OpenAPI document's description of it."""
    validator = OAS30Validator(
        {**SPEC["components"]["schemas"][schema], "components": SPEC["components"]},
        format_checker=oas30_format_checker,
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


def test_the_api_matches_its_openapi_description(fresh_app):
    store_decisions(fresh_app, {"django": 40, "quart": 15})
    response = fresh_app.test_client().get("/api/v1/stats")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert "/api/v1/stats" in SPEC["paths"]
    assert openapi_problems(body) == []
    # The description is strict enough to notice a figure of the wrong type or a stray key.
    assert openapi_problems({**body, "threshold": "10"}) == [
        "['threshold']: '10' is not of type 'integer'"
    ]
    assert len(openapi_problems({**body, "total": 55})) == 1
    assert sorted(body) == [
        "answered",
        "answers",
        "decisions",
        "first_choice",
        "months",
        "refreshed_at",
        "rounded_to",
        "runner_up",
        "threshold",
    ]
    assert (body["threshold"], body["rounded_to"]) == (10, 10)
    # 55 decisions, shown as 60; Quart's 15 as 20; shares of the 60.
    whole = {"value": None, "decisions": 60, "share": 1.0, "withheld": None}
    assert body["decisions"] == body["answered"] == whole
    withheld = {"decisions": None, "share": None, "withheld": FEWER}
    assert body["first_choice"] == [
        {"value": "flask", **withheld},
        {"value": "fastapi", **withheld},
        {"value": "django", "decisions": 40, "share": 0.6667, "withheld": None},
        {"value": "quart", "decisions": 20, "share": 0.3333, "withheld": None},
    ]
    # Django's runner-up is FastAPI; Quart's is none.
    assert body["runner_up"] == [
        {"value": "flask", **withheld},
        {"value": "fastapi", "decisions": 40, "share": 0.6667, "withheld": None},
        {"value": "django", **withheld},
        {"value": "quart", **withheld},
        {"value": None, "decisions": 20, "share": 0.3333, "withheld": None},
    ]
    assert [m["decisions"] for m in body["months"]] == [whole]


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
        ("2026-10", 20),
        ("2026-11", 30),
    ]
    november = {f["value"]: f["decisions"] for f in months[1]["first_choice"]}
    assert november == {"flask": 10, "fastapi": None, "django": 20, "quart": None}


def _tallied_total(app) -> int:
    with app.app_context():
        return tally.counted(db.session)


def test_refreshes_at_once_count_each_decision_once(fresh_app, monkeypatch):
    store_decisions(fresh_app, {"django": 60, "flask": 57})
    monkeypatch.setattr(tally, "CHUNK", 15)
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


def _tallied(app, dimension: str, value: str) -> int:
    with app.app_context():
        found = select(DecisionTally.count).where(
            DecisionTally.dimension == dimension, DecisionTally.value == value
        )
        return sum(db.session.scalars(found))


def test_a_few_current_decisions_among_older_ones_wait_for_a_batch_of_their_own(
    fresh_app, monkeypatch
):
    """The answer charts count version-3 decisions only, so a refresh adds none of them or at
    least ten, whatever older decisions come with them."""
    now = dt.datetime.now(dt.UTC)

    def refresh() -> tuple[int, int]:
        with fresh_app.app_context():
            tally.refresh(db.session, now, dt.timedelta(0))
        return _tallied_total(fresh_app), _tallied(fresh_app, tally.VERSIONS, "3")

    store_decisions(fresh_app, {"flask": 15}, version=2)
    store_decisions(fresh_app, {"django": 3})
    # The older ones are a batch and are counted; the three wait.
    assert refresh() == (15, 0)
    store_decisions(fresh_app, {"django": 7})
    assert refresh() == (25, 10)
    # A few among fewer than a batch of older ones: all wait.
    store_decisions(fresh_app, {"flask": 4}, version=2)
    store_decisions(fresh_app, {"django": 6})
    store_decisions(fresh_app, {"flask": 4}, version=2)
    assert refresh() == (25, 10)
    store_decisions(fresh_app, {"django": 4})
    assert refresh() == (43, 20)
    # A whole chunk with only a few, early: the refresh reaches past it to a batch of them.
    monkeypatch.setattr(tally, "CHUNK", 20)
    store_decisions(fresh_app, {"flask": 2}, version=2)
    store_decisions(fresh_app, {"django": 1})
    store_decisions(fresh_app, {"flask": 30}, version=2)
    assert refresh() == (43, 20)
    store_decisions(fresh_app, {"django": 9})
    assert refresh() == (85, 30)
    with fresh_app.app_context():
        stored = db.session.scalars(select(Decision.answers).where(Decision.version == 3)).all()
    admin = sum("admin" in answers.get("needs", []) for answers in stored)
    assert _tallied(fresh_app, tally.answer_dimension("needs"), "admin") == admin > 0


def test_a_decision_just_stored_waits_for_the_next_refresh(fresh_app):
    now = dt.datetime.now(dt.UTC)
    store_decisions(fresh_app, {"flask": 10}, now)
    with fresh_app.app_context():
        tally.refresh(db.session, now, dt.timedelta(0))
        assert _tallied_total(fresh_app) == 0
        tally.refresh(db.session, now + tally.SETTLE + dt.timedelta(seconds=1), dt.timedelta(0))
    assert _tallied_total(fresh_app) == 10


def test_the_figures_move_in_steps_of_at_least_ten_decisions(fresh_app):
    """Comparing the figures before and after a refresh never isolates one decision."""
    store_decisions(fresh_app, {"django": 30})
    later = dt.datetime.now(dt.UTC)
    with fresh_app.app_context():
        tally.refresh(db.session, later, dt.timedelta(0))
    store_decisions(fresh_app, {"flask": 9})
    with fresh_app.app_context():
        tally.refresh(db.session, later, dt.timedelta(0))
    assert _tallied_total(fresh_app) == 30
    store_decisions(fresh_app, {"flask": 1})
    with fresh_app.app_context():
        tally.refresh(db.session, later, dt.timedelta(0))
    assert _tallied_total(fresh_app) == 40


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
    monkeypatch.setattr(tally, "clock", lambda: later)
    store(fresh_app).pages.clear()
    assert first_choice(client)["Flask"] == ("20", "50%")


def test_a_posted_decision_is_counted_with_each_need_it_ticked(fresh_app, monkeypatch):
    client = fresh_app.test_client()
    store_decisions(
        fresh_app, {"flask": 10}, answers=[{"starting_point": "new", "clients": ["services"]}]
    )
    for _ in range(10):
        answered = client.post(
            "/decide",
            data={
                "starting_point": "django",
                "clients": ["pages", "spa"],
                "needs": ["admin", "realtime"],
            },
        )
        assert answered.status_code == 303
    later = dt.datetime.now(dt.UTC) + tally.SETTLE + dt.timedelta(seconds=5)
    monkeypatch.setattr(tally, "clock", lambda: later)
    figures = client.get("/api/v1/stats").get_json()
    assert figures["decisions"]["decisions"] == 20
    counts = answer_counts(figures)
    assert counts["starting_point"]["django"] == 10
    assert counts["clients"]["pages"] == counts["clients"]["spa"] == 10
    assert counts["needs"]["admin"] == counts["needs"]["realtime"] == 10


def test_two_drawings_of_one_minute_never_share_an_etag(fresh_app, monkeypatch):
    store_decisions(fresh_app, {"django": 20})
    client = fresh_app.test_client()
    first = client.get("/stats")
    store_decisions(fresh_app, {"flask": 20})
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
    monkeypatch.setattr(tally, "clock", lambda: later)
    # Another worker, within the same minute, draws the page after the refresh.
    store(fresh_app).pages.clear()
    second = client.get("/stats", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert (
        client.get("/stats", headers={"If-None-Match": second.headers["ETag"]}).status_code == 304
    )


def test_a_request_counts_one_chunk_and_the_release_step_the_whole_backlog(fresh_app, monkeypatch):
    monkeypatch.setattr(tally, "CHUNK", 20)
    store_decisions(fresh_app, {"django": 50, "flask": 20})
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
    monkeypatch.setattr(tally, "clock", lambda: later)
    fresh_app.test_client().get("/stats")
    assert _tallied_total(fresh_app) == 20
    result = fresh_app.test_cli_runner().invoke(args=["stats", "refresh"])
    assert result.exit_code == 0, result.output
    assert "tallies hold 70 decisions" in result.output
    assert _tallied_total(fresh_app) == 70


def test_the_api_gives_the_answers_shares_of_the_decisions_made_with_the_questions(fresh_app):
    store_decisions(
        fresh_app, {"django": 30}, answers=[{"starting_point": "new", "clients": ["pages"]}]
    )
    store_decisions(fresh_app, {"flask": 40}, version=2)
    body = fresh_app.test_client().get("/api/v1/stats").get_json()
    assert openapi_problems(body) == []
    assert body["decisions"]["decisions"] == 70
    assert body["answered"] == {"value": None, "decisions": 30, "share": 0.4286, "withheld": None}
    starts = next(q["figures"] for q in body["answers"] if q["question"] == "starting_point")
    assert starts[0] == {"value": "new", "decisions": 30, "share": 1.0, "withheld": None}


def test_each_edition_shows_when_the_figures_are_from_on_its_readers_clock(fresh_app, monkeypatch):
    store_decisions(fresh_app, {"django": 20})
    late_evening = dt.datetime(2027, 1, 15, 22, 5, tzinfo=dt.UTC)
    # The page brings the figures up to date on its own clock: let that be the late evening.
    monkeypatch.setattr(tally, "clock", lambda: late_evening)
    client = fresh_app.test_client()
    english = client.get("/stats").get_data(as_text=True)
    japanese = client.get("/ja/stats").get_data(as_text=True)
    stamp = 'datetime="2027-01-15T22:05:00'
    assert stamp in english and stamp in japanese
    assert ">15 January 2027, 22:05 UTC</time>" in english
    # Nine hours ahead in Tokyo, the same moment is already the next morning.
    assert ">2027年1月16日 7:05 JST</time>" in japanese
