"""Arbitrary input never breaks the site: property-based tests of the three ways answers arrive."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from selector.answers import ANSWERS
from selector.extensions import db
from selector.models import Decision
from selector.schemas import DecisionInput

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Real keys and values mixed with anything else, so that some inputs are valid.
keys = st.one_of(st.sampled_from(list(ANSWERS)), st.text(max_size=20))
values = st.one_of(
    st.sampled_from([v for choices in ANSWERS.values() for v in choices]),
    st.text(max_size=30),
)
pairs = st.lists(st.tuples(keys, values), max_size=10)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


def is_valid(items: list[tuple[str, str]]) -> bool:
    """What the contract accepts: each key once, empty meaning unanswered, known keys and values."""
    seen = [key for key, _ in items]
    if len(seen) != len(set(seen)):
        return False
    return not DecisionInput().validate({key: value for key, value in items if value != ""})


@FUZZ
@given(items=pairs)
def test_form_post_never_fails_and_stores_only_valid_submissions(fresh_app, items):
    client = fresh_app.test_client()
    with fresh_app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(Decision))
    response = client.post(
        "/decide", data=urlencode(items), content_type="application/x-www-form-urlencoded"
    )
    with fresh_app.app_context():
        after = db.session.scalar(select(db.func.count()).select_from(Decision))
    if is_valid(items):
        assert response.status_code == 303
        assert after == before + 1
        with fresh_app.app_context():
            newest = db.session.scalars(select(Decision).order_by(Decision.id.desc())).first()
        assert newest.answers == {key: value for key, value in items if value != ""}
    else:
        assert response.status_code in (400, 413, 422), response.status_code
        assert 'role="alert"' in response.get_data(as_text=True)  # a message, beside the form
        assert after == before


@FUZZ
@given(items=pairs)
def test_result_permalink_never_fails(app, items):
    response = app.test_client().get("/decide/result?" + urlencode(items))
    assert response.status_code == (200 if is_valid(items) else 400)
    if response.status_code == 400:
        assert "These answers cannot be read" in response.get_data(as_text=True)


@FUZZ
@given(body=json_values)
def test_api_never_fails_on_any_json(app, body):
    response = app.test_client().post(
        "/api/v1/recommendations", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 422)
    assert "errors" in response.get_json() or "framework" in response.get_json()


@FUZZ
@given(answers=st.dictionaries(keys, json_values, max_size=8))
def test_api_answers_of_any_shape(app, answers):
    response = app.test_client().post("/api/v1/recommendations", json={"answers": answers})
    valid = not DecisionInput().validate(answers)
    assert response.status_code == (200 if valid else 422)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_api_never_fails_on_any_bytes(app, raw):
    response = app.test_client().post(
        "/api/v1/recommendations", data=raw, content_type="application/json"
    )
    assert response.status_code in (200, 400, 422)
    try:
        json.loads(raw)
    except ValueError:
        assert response.status_code == 400


@pytest.mark.parametrize("size", [70_000, 1_000_000])
def test_huge_bodies_are_refused_with_413(client, size):
    assert client.post("/decide", data={"batteries": "y" * size}).status_code == 413
    response = client.post(
        "/api/v1/recommendations", data=b"{" + b" " * size, content_type="application/json"
    )
    assert response.status_code == 413
