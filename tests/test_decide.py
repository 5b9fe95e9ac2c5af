from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from selector.answers import ANSWERS, REQUIRED
from selector.extensions import db
from selector.loader import read_content
from selector.markup import render_inline
from selector.models import Decision
from selector.recommend import RUNNER_UP
from tests.conftest import count_statements

CONTENT = read_content()
SCENARIOS = {s["slug"]: s for s in CONTENT.scenarios}
QUESTIONS = {q["key"]: q for q in CONTENT.questions}
REALTIME = {"batteries": "no", "async_or_typed": "yes", "assemble": "no", "workload": "realtime"}
RESULT = "/decide/result?batteries=no&async_or_typed=yes&assemble=no&workload=realtime"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def checked(page: str) -> dict[str, str]:
    """The radio buttons the page shows as chosen."""
    return dict(
        re.findall(r'<input type="radio" name="(\w+)" id="[\w-]+" value="(\w*)" checked>', page)
    )


def stored(app) -> list[Decision]:
    with app.app_context():
        return list(db.session.scalars(select(Decision).order_by(Decision.id)))


def test_form_asks_every_question_as_a_fieldset_required_first(client):
    page = text_of(client.get("/decide"))
    legends = re.findall(r"<legend>(.*?) <span class=\"(required|optional)\">", page)
    assert [text for text, _ in legends] == [escape(QUESTIONS[k]["prompt"]) for k in ANSWERS]
    assert [kind for _, kind in legends] == ["required"] * 3 + ["optional"] * 3
    for question in QUESTIONS.values():
        assert escape(question["help"]) in page
        for choice in question["choices"]:
            assert f'value="{choice["value"]}"' in page
    assert checked(page) == {key: "" for key in ANSWERS if key not in REQUIRED}


@pytest.mark.parametrize("slug", sorted(SCENARIOS))
def test_preset_fills_every_answer_it_carries_and_no_other(client, slug):
    page = text_of(client.get(f"/decide?preset={slug}"))
    skipped = {key: "" for key in ANSWERS if key not in REQUIRED}
    assert checked(page) == {**skipped, **SCENARIOS[slug]["preset"]}
    assert f'href="/scenarios/{slug}"' in page


@pytest.mark.parametrize("slug", sorted(SCENARIOS))
def test_submitting_a_preset_gives_the_scenarios_choice_and_runner_up(client, slug):
    scenario = SCENARIOS[slug]
    response = client.post("/decide", data=scenario["preset"])
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert f'<strong>First choice:</strong> <a href="/frameworks/{scenario["first"]}">' in page
    runner_up = scenario["runner_up"]
    expected = f'<a href="/frameworks/{runner_up}">' if runner_up else '<span class="none">none'
    assert f"<strong>Runner-up:</strong> {expected}" in page


def test_unknown_preset_says_so_and_starts_empty(client):
    page = text_of(client.get("/decide?preset=nothing-like-it"))
    assert "There is no scenario called “nothing-like-it”" in page


def test_scenario_page_links_to_its_preset(client):
    assert 'href="/decide?preset=json-api"' in text_of(client.get("/scenarios/json-api"))


def test_submit_stores_the_decision_and_answers_303_to_the_permalink(fresh_app):
    client = fresh_app.test_client()
    response = client.post("/decide", data=REALTIME)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{RESULT}&rev={CONTENT.digest[:12]}"
    page = text_of(client.get(response.headers["Location"]))
    assert '<h1 id="verdict">Start with FastAPI</h1>' in page
    [decision] = stored(fresh_app)
    assert (decision.answers, decision.framework, decision.runner_up) == (
        REALTIME,
        "fastapi",
        "quart",
    )


def test_skipped_optional_questions_are_left_out(fresh_app):
    response = fresh_app.test_client().post(
        "/decide", data={**REALTIME, "existing": "", "design_owner": ""}
    )
    assert response.headers["Location"] == f"{RESULT}&rev={CONTENT.digest[:12]}"


def test_missing_answer_is_shown_beside_its_field_and_keeps_the_others(fresh_app):
    answers = {"batteries": "no", "async_or_typed": "yes", "workload": "realtime"}
    response = fresh_app.test_client().post("/decide", data=answers)
    page = text_of(response)
    assert response.status_code == 422
    assert re.search(r'id="assemble-error"><strong>Error:</strong> Choose an answer\.', page)
    assert 'aria-describedby="assemble-help assemble-error"' in page
    assert checked(page) == {**answers, "existing": "", "design_owner": ""}
    assert stored(fresh_app) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"batteries": "Yes"}, "Choose one of: yes, no."),
        ({"colour": "red"}, "“colour”: Unknown field."),
    ],
)
def test_unknown_values_and_keys_are_refused_and_nothing_stored(fresh_app, extra, message):
    response = fresh_app.test_client().post("/decide", data={**REALTIME, **extra})
    assert response.status_code == 422
    assert message in text_of(response)
    assert stored(fresh_app) == []


def test_rows_stored_equal_the_valid_submissions(fresh_app):
    client = fresh_app.test_client()
    valid = [SCENARIOS[slug]["preset"] for slug in ("json-api", "batteries-now", "start-small")]
    for answers in valid:
        assert client.post("/decide", data=answers).status_code == 303
        assert client.post("/decide", data={**answers, "batteries": "maybe"}).status_code == 422
    assert [d.answers for d in stored(fresh_app)] == valid


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_form_journey_with_csrf_on(make_app, fresh_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token(text_of(client.get("/decide?preset=realtime-io")))
    response = client.post(
        "/decide", data={**SCENARIOS["realtime-io"]["preset"], "csrf_token": token}
    )
    assert response.status_code == 303
    assert '<h1 id="verdict">Start with FastAPI</h1>' in text_of(
        client.get(response.headers["Location"])
    )
    assert len(stored(app)) == 1


@pytest.mark.parametrize("token", [None, "stale-or-forged"])
def test_missing_or_stale_token_keeps_the_answers_and_stores_nothing(make_app, fresh_app, token):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.get("/decide")
    data = {**REALTIME, **({"csrf_token": token} if token else {})}
    response = client.post("/decide", data=data)
    page = text_of(response)
    assert response.status_code == 400
    assert "Your answers were not sent" in page
    assert checked(page) == {**REALTIME, "existing": "", "design_owner": ""}
    assert stored(app) == []
    retry = client.post("/decide", data={**REALTIME, "csrf_token": csrf_token(page)})
    assert retry.status_code == 303


def test_result_is_the_same_for_anyone_sets_no_cookie_and_writes_nothing(app):
    first, second = app.test_client().get(RESULT), app.test_client().get(RESULT)
    assert first.status_code == 200
    assert first.get_data() == second.get_data()
    assert "Set-Cookie" not in first.headers
    with count_statements(app) as statements:
        app.test_client().get(RESULT)
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_result_explains_itself(client):
    page = text_of(client.get(RESULT))
    assert '<strong>Runner-up:</strong> <a href="/frameworks/quart">Quart</a>' in page
    quart = RUNNER_UP[2].picks["fastapi"]
    assert quart.framework == "quart"
    assert (
        f'{render_inline(CONTENT.rules[quart.why])} <span class="based">Based on: What the '
        "service mostly does: " in page
    )
    fastapi = next(f for f in CONTENT.frameworks if f["slug"] == "fastapi")
    for weakness in fastapi["weaknesses"]:
        assert render_inline(weakness) in page
    assert "the first choice would be" in page
    assert 'href="/scenarios/realtime-io"' in page
    # Each scenario like these answers names the framework it starts with.
    realtime = next(s for s in CONTENT.scenarios if s["slug"] == "realtime-io")
    assert f"{realtime['title']}</a>: start with FastAPI</li>" in page
    assert (
        'href="/decide?batteries=no&amp;async_or_typed=yes&amp;assemble=no&amp;workload=realtime"'
        in page
    )
    assert 'value="http://localhost/decide/result?batteries=no&amp;async_or_typed=yes' in page
    assert 'href="/decide/result.md?batteries=no&amp;' in page
    assert '<link rel="canonical" href="http://localhost/decide/result?batteries=no' in page


def test_pivot_links_to_the_result_it_describes(client):
    page = text_of(client.get(RESULT))
    callout = page.split('<aside class="callout"', 1)[1].split("</aside>", 1)[0]
    named = re.search(r"the first choice would be (\w+)\.", callout).group(1)
    link = re.search(
        r'<a class="button" href="([^"]+)">See the result with that answer</a>', callout
    )
    target = text_of(client.get(link.group(1).replace("&amp;", "&")))
    assert f'<h1 id="verdict">Start with {named}</h1>' in target


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("batteries=no&async_or_typed=perhaps&assemble=no", "Choose one of: yes, no."),
        ("batteries=no&assemble=no", "Choose an answer."),
        ("batteries=no&async_or_typed=no&assemble=maybe&utm=x", "Choose one of: yes, no."),
        ("batteries=no&batteries=yes&async_or_typed=no&assemble=no", "Give one answer only."),
    ],
)
def test_invalid_permalink_is_a_400_that_links_back_with_the_valid_answers(client, query, message):
    response = client.get(f"/decide/result?{query}")
    page = text_of(response)
    assert response.status_code == 400
    assert message in page
    retry = (
        re.search(r'<a href="(/decide[^"]*)">Open the form', page).group(1).replace("&amp;", "&")
    )
    kept = dict(parse_qsl(urlsplit(retry).query))
    assert kept and all(f"{k}={v}" in query for k, v in kept.items())
    assert "batteries" in kept or "batteries=no&batteries=yes" in query


@pytest.mark.parametrize("path", ["/decide/result", "/decide/result.md"])
@pytest.mark.parametrize(
    "query",
    [
        "utm_source=chat&batteries=no&async_or_typed=yes&assemble=no&workload=realtime",
        "workload=realtime&assemble=no&async_or_typed=yes&batteries=no",
        "batteries=no&async_or_typed=yes&assemble=no&workload=realtime&fbclid=x&ref=adr",
    ],
)
def test_unknown_keys_and_any_order_answer_301_to_the_permalink_in_contract_order(
    client, path, query
):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 301
    canonical = "batteries=no&async_or_typed=yes&assemble=no&workload=realtime"
    assert response.headers["Location"] == f"{path}?{canonical}"
    assert client.get(response.headers["Location"]).status_code == 200


def test_decision_record_is_markdown_with_context_decision_and_consequences(client):
    response = client.get(RESULT.replace("/result?", "/result.md?"))
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="decision-record-fastapi.md"'
    )
    record = text_of(response)
    assert record.startswith("# Use FastAPI as the web framework\n")
    for heading in ("## Context", "## Decision", "## Alternatives considered", "## Consequences"):
        assert f"\n{heading}\n" in record
    assert "- Status: proposed" in record
    assert f"- Recommendation: http://localhost{RESULT}" in record
    for key, value in REALTIME.items():
        label = next(c["label"] for c in QUESTIONS[key]["choices"] if c["value"] == value)
        assert f"**{label}**" in record
    assert "1. FastAPI (chosen): " in record
    assert "2. Quart (runner-up): " in record
    assert "*(based on: What the service mostly does: Real-time work: WebSockets" in record


MARKDOWN = "/decide/result?batteries=no&async_or_typed=yes&assemble=yes&workload=ml_api"


def test_markdown_in_reasons_and_tradeoffs_is_html_on_the_page_and_markdown_in_the_record(client):
    page = text_of(client.get(MARKDOWN))
    record = text_of(client.get(MARKDOWN.replace("/result?", "/result.md?")))
    fastapi = next(f for f in CONTENT.frameworks if f["slug"] == "fastapi")
    with_code = [w for w in fastapi["weaknesses"] if "`" in w]
    assert with_code, "a FastAPI weakness quotes code"
    for weakness in with_code:
        assert "<code>" in str(render_inline(weakness))
        assert render_inline(weakness) in page
        assert f"- {weakness}" in record
    note = QUESTIONS["workload"]["choices"][3]["notes"]["fastapi"]
    assert "`def`" in note
    assert render_inline(note) in page
    assert note in record
    assert "`" not in page.split("<main", 1)[1]


@pytest.mark.parametrize(
    "query",
    [
        "batteries=no&async_or_typed=no&assemble=no&design_owner=yes",
        "batteries=yes&async_or_typed=yes&assemble=yes&workload=realtime&existing=flask",
        "batteries=no&async_or_typed=yes&assemble=no&workload=realtime&existing=flask",
        "batteries=no&async_or_typed=no&assemble=yes",
    ],
)
def test_no_page_or_record_shows_a_score(client, query):
    for path in ("/decide/result?", "/decide/result.md?"):
        text = text_of(client.get(path + query))
        main = text.split("<main", 1)[-1].split("</main>", 1)[0]
        # Scores were fractions such as "fit 0.83"; versions ("Django 6.1") may appear.
        assert not re.search(r"(?<![\w.])0\.\d+", main), re.findall(r".{40}0\.\d+.{20}", main)
        assert not re.search(r"\b(fit|score)\W+\d", main, re.I)


def test_the_ranking_lists_all_four_in_order_each_with_its_reason(client):
    page = text_of(client.get(RESULT))
    ranking = page.split('<ol class="ranking">', 1)[1].split("</ol>", 1)[0]
    places = re.findall(r'<li[^>]*><a href="/frameworks/(\w+)">\w+</a> <span>([^<]+)', ranking)
    assert [slug for slug, _ in places][:2] == ["fastapi", "quart"]
    assert sorted(slug for slug, _ in places) == ["django", "fastapi", "flask", "quart"]
    assert all(len(reason) > 20 for _, reason in places)


def test_invalid_decision_record_is_a_400(client):
    assert client.get("/decide/result.md?batteries=sometimes").status_code == 400


def test_form_counts_nothing_stored_on_get(fresh_app):
    fresh_app.test_client().get("/decide?preset=json-api")
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0
