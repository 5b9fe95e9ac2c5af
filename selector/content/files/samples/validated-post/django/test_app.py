from typing import Any

import pytest
from django.test import Client

from app import signups


@pytest.fixture(autouse=True)
def no_signups() -> None:
    signups.clear()


def invalid_fields(body: dict[str, Any]) -> set[str]:
    # Ninja's 422 lists each problem with its location, e.g. ["body", "data", "seats"].
    return {problem["loc"][-1] for problem in body["detail"]}


def test_valid_signup_is_stored_and_returned(client: Client) -> None:
    response = client.post("/signups", {"email": "ada@example.com", "seats": 3}, "application/json")
    assert response.status_code == 201
    assert response.json() == {"id": 1, "email": "ada@example.com", "seats": 3}


@pytest.mark.parametrize("seats", [0, 51, "3", 2.5])
def test_seats_out_of_range_or_not_an_integer(client: Client, seats: object) -> None:
    body = {"email": "ada@example.com", "seats": seats}
    response = client.post("/signups", body, "application/json")
    assert response.status_code == 422
    assert invalid_fields(response.json()) == {"seats"}
    assert signups == []


def test_bad_email_is_422_for_that_field(client: Client) -> None:
    response = client.post("/signups", {"email": "not-an-email", "seats": 3}, "application/json")
    assert response.status_code == 422
    assert invalid_fields(response.json()) == {"email"}


def test_missing_fields_are_each_reported(client: Client) -> None:
    response = client.post("/signups", {}, "application/json")
    assert response.status_code == 422
    assert invalid_fields(response.json()) == {"email", "seats"}
