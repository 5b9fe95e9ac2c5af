from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select
from werkzeug.serving import make_server

from selector.answers import ANSWERS
from selector.extensions import db
from selector.loader import read_content
from selector.models import Decision

URL = "/api/v1/recommendations"
CONTENT = read_content()
REALTIME = {"batteries": "no", "async_or_typed": "yes", "assemble": "no", "workload": "realtime"}


def test_recommendation_has_the_contract_shape(client):
    response = client.post(URL, json={"answers": REALTIME})
    assert response.status_code == 200
    body = response.get_json()
    assert body["framework"] == "fastapi"
    assert body["runner_up"] == "quart"
    assert [r["framework"] for r in body["ranking"]][:2] == ["fastapi", "quart"]
    assert {r["framework"] for r in body["ranking"]} == {f["slug"] for f in CONTENT.frameworks}
    assert all(isinstance(r["score"], float) for r in body["ranking"])
    assert body["reasons"] and body["tradeoffs"]
    assert body["pivot"] == {"answer": "batteries", "to": "yes", "framework": "django"}
    # Marked with the content revision the answer was given on.
    assert body["permalink"] == (
        "/decide/result?batteries=no&async_or_typed=yes&assemble=no&workload=realtime"
        f"&rev={CONTENT.digest[:12]}"
    )
    assert "Set-Cookie" not in response.headers


def test_api_and_result_page_agree(client):
    for scenario in CONTENT.scenarios:
        body = client.post(URL, json={"answers": scenario["preset"]}).get_json()
        assert (body["framework"], body["runner_up"]) == (scenario["first"], scenario["runner_up"])
        page = client.get(body["permalink"]).get_data(as_text=True)
        name = next(f["name"] for f in CONTENT.frameworks if f["slug"] == body["framework"])
        assert f'<h1 id="verdict">Start with {name}</h1>' in page


def test_pivot_is_null_when_no_single_answer_changes_the_choice(client):
    answers = {"batteries": "yes", "async_or_typed": "no", "assemble": "no", "design_owner": "no"}
    assert client.post(URL, json={"answers": answers}).get_json()["pivot"] is None


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({**REALTIME, "batteries": "Yes"}, {"batteries": ["Choose one of: yes, no."]}),
        ({**REALTIME, "colour": "red"}, {"colour": ["Unknown field."]}),
        (
            {"batteries": "no"},
            {"async_or_typed": ["Choose an answer."], "assemble": ["Choose an answer."]},
        ),
        ({**REALTIME, "assemble": True}, {"assemble": ["Give the answer as text."]}),
    ],
)
def test_bad_answers_are_422_with_errors_per_key(client, answers, errors):
    response = client.post(URL, json={"answers": answers})
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"answers": ["Missing data for required field."]}),
        ({"answers": REALTIME, "extra": 1}, {"extra": ["Unknown field."]}),
        ({"answers": "yes"}, {"answers": ["Invalid input type."]}),
        ([1, 2], {"body": ["Invalid input type."]}),
    ],
)
def test_badly_shaped_body_is_422(client, body, errors):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}


def test_body_that_is_not_json_is_400(client):
    response = client.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"body": ["The body is not valid JSON."]}}


def test_other_content_type_is_415(client):
    response = client.post(
        URL, data="batteries=no", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "errors" in response.get_json()


def test_api_needs_no_csrf_token_and_stores_nothing(make_app, fresh_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post(URL, json={"answers": REALTIME})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_openapi_document_is_valid_and_generated_from_the_schemas(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    properties = document["components"]["schemas"]["DecisionInput"]["properties"]
    assert {key: p["enum"] for key, p in properties.items()} == {
        key: list(values) for key, values in ANSWERS.items()
    }
    operation = document["paths"]["/api/v1/recommendations"]["post"]
    assert set(operation["responses"]) == {"200", "400", "415", "422"}


def test_other_methods_get_405_in_json_with_allow(client):
    response = client.put(URL, json={"answers": REALTIME})
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
                f"http://127.0.0.1:{server.server_port}/api/v1/openapi.json",
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


def test_deeply_nested_json_is_a_400_not_a_500(client):
    response = client.post(URL, data="[" * 5000, content_type="application/json")
    assert response.status_code == 400
