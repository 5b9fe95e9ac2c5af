"""Arbitrary input never breaks the site: property-based tests of the three ways answers arrive."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from selector.answers import ANSWERS, REQUIRED
from selector.extensions import db
from selector.models import Decision

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
ORDER = {key: n for n, key in enumerate(ANSWERS)}
# Complete answers with junk added and in any order: the cases between valid and invalid.
near_valid = st.builds(
    lambda required, extra: required + extra,
    st.tuples(*(st.tuples(st.just(k), st.sampled_from(ANSWERS[k])) for k in REQUIRED)).map(list),
    pairs,
).flatmap(st.permutations)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


def acceptable(answers: dict) -> bool:
    """The contract's rule, written out here rather than taken from the app's schema: only
    known keys, each a text among its values, every required key present."""
    return (
        all(key in ANSWERS for key in answers)
        and all(isinstance(v, str) and v in ANSWERS[k] for k, v in answers.items())
        and all(key in answers for key in REQUIRED)
    )


def is_valid(items: list[tuple[str, str]]) -> bool:
    """A form post or query: each key once, an empty value meaning unanswered."""
    seen = [key for key, _ in items]
    return len(seen) == len(set(seen)) and acceptable({k: v for k, v in items if v != ""})


@FUZZ
@given(items=st.one_of(pairs, near_valid))
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
@given(items=st.one_of(pairs, near_valid))
def test_result_permalink_never_fails(app, items):
    """Keys the contract does not know are dropped with a 301; bad answers to known keys are a
    400; the permalink in the contract's order is the page itself."""
    response = app.test_client().get("/decide/result?" + urlencode(items))
    known = [(key, value) for key, value in items if key in ANSWERS]
    canonical = urlencode(sorted((p for p in known if p[1] != ""), key=lambda p: ORDER[p[0]]))
    if not is_valid(known):
        assert response.status_code == 400
        assert "These answers cannot be read" in response.get_data(as_text=True)
    elif urlencode(items) != canonical:
        assert response.status_code == 301
        assert response.headers["Location"] == f"/decide/result?{canonical}"
    else:
        assert response.status_code == 200


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
    assert response.status_code == (200 if acceptable(answers) else 422)


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
