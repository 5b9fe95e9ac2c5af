from typing import Any

import pytest
from flask.testing import FlaskClient

from app import create_app, signups


@pytest.fixture
def client() -> FlaskClient:
    signups.clear()
    return create_app().test_client()


def invalid_fields(body: dict[str, Any]) -> set[str]:
    return {problem["loc"][-1] for problem in body["detail"]}


def test_valid_signup_is_stored_and_returned(client: FlaskClient) -> None:
    response = client.post("/signups", json={"email": "ada@example.com", "seats": 3})
    assert response.status_code == 201
    assert response.get_json() == {"id": 1, "email": "ada@example.com", "seats": 3}
    assert signups == [{"id": 1, "email": "ada@example.com", "seats": 3}]


@pytest.mark.parametrize("seats", [0, 51, "3", 2.5])
def test_seats_out_of_range_or_not_an_integer(client: FlaskClient, seats: object) -> None:
    response = client.post("/signups", json={"email": "ada@example.com", "seats": seats})
    assert response.status_code == 422
    assert invalid_fields(response.get_json()) == {"seats"}
    assert signups == []


def test_bad_email_is_reported_by_field(client: FlaskClient) -> None:
    response = client.post("/signups", json={"email": "not-an-email", "seats": 3})
    assert response.status_code == 422
    assert response.get_json()["detail"] == [
        {"loc": ["body", "email"], "msg": "Not a valid email address."}
    ]


def test_missing_body_lists_every_required_field(client: FlaskClient) -> None:
    response = client.post("/signups")
    assert response.status_code == 422
    assert invalid_fields(response.get_json()) == {"email", "seats"}
