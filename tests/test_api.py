from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select
from werkzeug.http import parse_date
from werkzeug.serving import make_server

from selector.content.read import read_content
from selector.engine.answers import ANSWERS, MULTI, REQUIRED, V2_ANSWERS, from_v2, query_pairs
from selector.extensions import db
from selector.models import Decision
from selector.schemas import PROVISIONS
from tests.conftest import explained

URL = "/api/v2/recommendations"
V1_URL = "/api/v1/recommendations"
CONTENT = read_content()
REV = CONTENT.digest[:12]
FRAMEWORKS = {f.slug for f in CONTENT.frameworks}
#: A new service that a single-page app calls, holding many connections open.
REALTIME = {
    "starting_point": "new",
    "clients": ["spa"],
    "needs": ["realtime", "streaming", "high_concurrency"],
}
#: The same kind of service, in the questions of the earlier contract.
REALTIME_V2 = {"batteries": "no", "async_or_typed": "yes", "assemble": "no", "workload": "realtime"}
#: The day version 3 of the contract was published; the version-1 API lives six months more.
PUBLISHED = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)


def given(answers: dict) -> set[str]:
    """Each answer as key=value, as a reason cites the answers it rests on."""
    return {
        f"{key}={value}"
        for key, values in answers.items()
        for value in ([values] if isinstance(values, str) else values)
    }


def test_recommendation_has_the_contract_shape(app, client):
    response = client.post(URL, json={"answers": REALTIME})
    assert response.status_code == 200
    body = response.get_json()
    assert {
        "framework",
        "runner_up",
        "stack",
        "outside",
        "reasons",
        "ranking",
        "change",
        "permalink",
    } <= set(body)
    assert (body["framework"], body["runner_up"]) == ("fastapi", "quart")
    # One component per need, in the order the needs are asked, each with its class.
    assert [part["need"] for part in body["stack"]] == REALTIME["needs"]
    for part in body["stack"]:
        assert set(part) == {"need", "component", "provided"}
        assert part["component"] and part["provided"] in PROVISIONS
    assert body["outside"] == []
    # Every reason names the answers it rests on, and only answers that were given.
    assert body["reasons"]
    for reason in body["reasons"]:
        assert set(reason) == {"text", "rests_on"}
        assert reason["text"] and reason["rests_on"]
        assert set(reason["rests_on"]) <= given(REALTIME), reason
    assert [place["framework"] for place in body["ranking"]][:2] == ["fastapi", "quart"]
    assert {place["framework"] for place in body["ranking"]} == FRAMEWORKS
    assert all(
        set(place) == {"framework", "reason"} and place["reason"] for place in body["ranking"]
    )
    # The single answer that changes the first choice, and what it changes it to.
    change = body["change"]
    assert set(change) == {"answers", "framework"} and change["framework"] != "fastapi"
    again = client.post(URL, json={"answers": change["answers"]}).get_json()
    assert again["framework"] == change["framework"]
    # Marked with the content revision the answer was given on.
    # Absolute, to paste into a chat or a decision record.
    assert body["permalink"] == (
        f"http://localhost/decide/result?{urlencode(query_pairs(REALTIME))}&rev={REV}"
    )
    assert "Set-Cookie" not in response.headers
    # The same facts as the result page gives.
    result = explained(app, REALTIME)
    assert [(p.need, p.component, p.provided) for p in result.stack] == [
        (p["need"], p["component"], p["provided"]) for p in body["stack"]
    ]
    assert [r.text for r in result.reasons] == [r["text"] for r in body["reasons"]]


def test_outside_names_the_tools_that_beat_the_four_and_runner_up_may_be_null(client):
    answers = {"starting_point": "new", "clients": ["pages"], "needs": ["editorial"]}
    body = client.post(URL, json={"answers": answers}).get_json()
    assert body["framework"] == "django"
    [outside] = body["outside"]
    assert outside["need"] == "editorial" and "Wagtail" in outside["tools"]
    # An application that runs on Django and that no other framework would serve better.
    scenario = next(s for s in CONTENT.scenarios if s.runner_up is None)
    body = client.post(URL, json={"answers": scenario.preset}).get_json()
    assert body["runner_up"] is None


def test_api_and_result_page_agree(client):
    for scenario in CONTENT.scenarios:
        body = client.post(URL, json={"answers": scenario.preset}).get_json()
        assert (body["framework"], body["runner_up"]) == (scenario.first, scenario.runner_up)
        page = client.get(body["permalink"]).get_data(as_text=True)
        name = next(f.name for f in CONTENT.frameworks if f.slug == body["framework"])
        assert f'<h1 id="verdict">Start with {name}</h1>' in page


def test_the_words_follow_the_language_asked_for_and_the_choice_does_not(client):
    english = client.post(URL, json={"answers": REALTIME}).get_json()
    japanese = client.post(URL, json={"answers": REALTIME, "lang": "ja-JP"}).get_json()
    assert japanese["lang"] == "ja"
    assert (japanese["framework"], japanese["runner_up"]) == (
        english["framework"],
        english["runner_up"],
    )
    assert japanese["reasons"][0]["text"] != english["reasons"][0]["text"]
    assert japanese["reasons"][0]["rests_on"] == english["reasons"][0]["rests_on"]
    assert japanese["permalink"] == english["permalink"].replace("/decide", "/ja/decide", 1)


def test_multi_valued_answers_in_any_order_give_the_same_answer(client):
    shuffled = {
        "needs": list(reversed(REALTIME["needs"])),
        "clients": ["spa", "spa"],
        "starting_point": "new",
    }
    body = client.post(URL, json={"answers": shuffled}).get_json()
    assert body == client.post(URL, json={"answers": REALTIME}).get_json()


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        (
            {**REALTIME, "starting_point": "New"},
            {"starting_point": ["Choose one of: new, flask, fastapi, django, quart, other."]},
        ),
        ({**REALTIME, "colour": "red"}, {"colour": ["Unknown field."]}),
        (
            {"needs": ["realtime"]},
            {"starting_point": ["Choose an answer."], "clients": ["Choose at least one."]},
        ),
        ({**REALTIME, "starting_point": True}, {"starting_point": ["Give the answer as text."]}),
        ({**REALTIME, "team_size": ["small"]}, {"team_size": ["Give the answer as text."]}),
        ({**REALTIME, "clients": "spa"}, {"clients": ["Give the answers as a list."]}),
        ({**REALTIME, "clients": []}, {"clients": ["Choose at least one."]}),
        (
            {**REALTIME, "team_skills": ["flask", "none"]},
            {"team_skills": ["“None of these” cannot be given beside a skill."]},
        ),
        # Version-2 answers belong to the version-1 API.
        (
            REALTIME_V2,
            {
                **{key: ["Unknown field."] for key in REALTIME_V2},
                "starting_point": ["Choose an answer."],
                "clients": ["Choose at least one."],
            },
        ),
        pytest.param(
            {**REALTIME, "needs": ["realtime", "payments"]},
            {"needs": [f"Choose one of: {', '.join(ANSWERS['needs'])}."]},
        ),
    ],
)
def test_bad_answers_are_422_with_errors_per_key(client, answers, errors):
    response = client.post(URL, json={"answers": answers})
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


@pytest.mark.parametrize("url", [URL, V1_URL])
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"answers": ["Missing data for required field."]}),
        ({"answers": REALTIME, "extra": 1}, {"extra": ["Unknown field."]}),
        ({"answers": "yes"}, {"answers": ["Invalid input type."]}),
        ([1, 2], {"body": ["Invalid input type."]}),
    ],
)
def test_badly_shaped_body_is_422(client, url, body, errors):
    if url == V1_URL and "answers" in body and isinstance(body["answers"], dict):
        body = {**body, "answers": REALTIME_V2}
    response = client.post(url, json=body)
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


@pytest.mark.parametrize("url", [URL, V1_URL])
def test_body_that_is_not_json_is_400(client, url):
    response = client.post(url, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"body": ["The body is not valid JSON."]}}


@pytest.mark.parametrize("url", [URL, V1_URL])
def test_other_content_type_is_415(client, url):
    response = client.post(
        url, data="starting_point=new", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "errors" in response.get_json()


def test_api_needs_no_csrf_token_and_stores_nothing(make_app, fresh_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for url, answers in ((URL, REALTIME), (V1_URL, REALTIME_V2)):
        response = client.post(url, json={"answers": answers})
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def deprecation_is_announced(response) -> None:
    """The version-1 API's end, as RFC 9745 and RFC 8594 say it: when it was deprecated, when it
    stops answering (six months and more after version 3), and where its successor is
    documented."""
    deprecated = re.fullmatch(r"@(\d+)", response.headers["Deprecation"])
    assert deprecated, response.headers["Deprecation"]
    since = dt.datetime.fromtimestamp(int(deprecated.group(1)), dt.UTC)
    sunset = parse_date(response.headers["Sunset"])
    assert sunset is not None, response.headers["Sunset"]
    assert since <= sunset
    assert sunset >= PUBLISHED.replace(year=2027, month=6), sunset
    links = response.headers["Link"]
    assert re.search(r'<http://localhost/api/v2/openapi\.json>; rel="successor-version"', links)
    assert re.search(r'<http://localhost/api/v2/openapi\.json>; rel="deprecation"', links)


def test_version_1_takes_version_2_answers_and_answers_in_its_old_shape(app, client):
    response = client.post(V1_URL, json={"answers": REALTIME_V2})
    assert response.status_code == 200
    deprecation_is_announced(response)
    body = response.get_json()
    assert set(body) == {
        "framework",
        "runner_up",
        "runner_up_reason",
        "lang",
        "ranking",
        "reasons",
        "tradeoffs",
        "pivot",
        "permalink",
    }
    # What version 2 of the contract maps those answers to.
    carried = from_v2(REALTIME_V2)
    result = explained(app, carried)
    assert (body["framework"], body["runner_up"]) == (result.framework, result.runner_up)
    assert body["runner_up_reason"] == result.runner_up_reason.text
    assert body["reasons"] == [reason.text for reason in result.reasons]
    assert body["tradeoffs"] == result.gives_up
    # The ranking keeps its numbers, which only order it.
    assert [place["framework"] for place in body["ranking"]] == [
        place.framework for place in result.ranking
    ]
    scores = [place["score"] for place in body["ranking"]]
    assert all(isinstance(score, float) for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert body["pivot"] is None
    assert body["permalink"] == (
        f"http://localhost/decide/result?{urlencode(query_pairs(carried))}&rev={REV}"
    )


def test_version_1_still_answers_every_version_2_answer_kind(client):
    for key, values in V2_ANSWERS.items():
        for value in values:
            answers = {**REALTIME_V2, key: value}
            response = client.post(V1_URL, json={"answers": answers})
            assert response.status_code == 200, answers
            assert response.get_json()["framework"] in FRAMEWORKS


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({**REALTIME_V2, "batteries": "Yes"}, {"batteries": ["Choose one of: yes, no."]}),
        ({**REALTIME_V2, "colour": "red"}, {"colour": ["Unknown field."]}),
        pytest.param(
            {"batteries": "no"},
            {"async_or_typed": ["Choose an answer."], "assemble": ["Choose an answer."]},
        ),
        pytest.param(
            {**REALTIME_V2, "assemble": True},
            {"assemble": ["Give the answer as text."]},
        ),
    ],
)
def test_version_1_bad_answers_are_422_per_key_and_still_announce_the_sunset(
    client, answers, errors
):
    response = client.post(V1_URL, json={"answers": answers})
    assert response.status_code == 422
    deprecation_is_announced(response)
    assert response.get_json() == {"errors": errors}


def enum_of(schema: dict, many: bool) -> list[str]:
    """The values a documented answer takes: of a list's items for a multi-valued key, and of
    each alternative where the document gives several (a skill, or "none" alone)."""
    if "anyOf" in schema:
        return [value for each in schema["anyOf"] for value in enum_of(each, many)]
    if many:
        assert schema["type"] == "array"
        return schema["items"]["enum"]
    return schema["enum"]


def test_openapi_document_is_valid_generated_from_the_schemas_and_documents_both(client):
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    schemas = document["components"]["schemas"]
    properties = schemas["DecisionInput"]["properties"]
    assert set(properties) == set(ANSWERS)
    for key, values in ANSWERS.items():
        assert enum_of(properties[key], many=key in MULTI) == list(values), key
    assert set(schemas["DecisionInput"]["required"]) == set(REQUIRED)
    assert {key: p["enum"] for key, p in schemas["V2Input"]["properties"].items()} == {
        key: list(values) for key, values in V2_ANSWERS.items()
    }
    current = document["paths"]["/api/v2/recommendations"]["post"]
    old = document["paths"]["/api/v1/recommendations"]["post"]
    for operation in (current, old):
        assert set(operation["responses"]) == {"200", "400", "415", "422"}
    assert current["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Recommendation"
    }
    assert old["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/V1Recommendation"
    }
    assert old["deprecated"] is True and not current.get("deprecated")
    assert "Sunset" in old["description"]
    recommendation = schemas["Recommendation"]["properties"]
    for field in ("framework", "runner_up", "stack", "outside", "reasons", "ranking", "change"):
        assert field in recommendation


def test_the_version_1_document_moved_to_version_2(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 301
    assert response.headers["Location"] == "/api/v2/openapi.json"


@pytest.mark.parametrize("url", [URL, V1_URL])
def test_other_methods_get_405_in_json_with_allow(client, url):
    response = client.put(url, json={"answers": REALTIME})
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert "errors" in response.get_json()


def test_schemathesis_finds_nothing_with_all_its_checks(app):
    """The running API against its own OpenAPI document, every check schemathesis has."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "st"),
                "run",
                f"http://127.0.0.1:{server.server_port}/api/v2/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "100",
                "--seed",
                "20261125",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    assert run.returncode == 0, run.stdout[-3000:]
    assert "No issues found" in run.stdout


@pytest.mark.parametrize("url", [URL, V1_URL])
def test_deeply_nested_json_is_a_400_not_a_500(client, url):
    response = client.post(url, data="[" * 5000, content_type="application/json")
    assert response.status_code == 400
