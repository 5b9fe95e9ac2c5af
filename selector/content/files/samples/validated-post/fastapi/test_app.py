from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import app, signups


@pytest.fixture
def client() -> TestClient:
    signups.clear()
    return TestClient(app)


def fields_in_error(body: dict[str, Any]) -> dict[str, str]:
    # FastAPI's 422 lists each problem with its location, e.g. ["body", "seats"].
    return {error["loc"][-1]: error["type"] for error in body["detail"]}


def test_valid_signup_is_stored_and_returned(client: TestClient) -> None:
    response = client.post("/signups", json={"email": "ada@example.com", "seats": 3})
    assert response.status_code == 201
    assert response.json() == {"email": "ada@example.com", "seats": 3, "id": 1}
    assert signups[1].email == "ada@example.com"


@pytest.mark.parametrize("seats", [0, 51, "3", 2.5])
def test_bad_seat_count_is_422_for_that_field(client: TestClient, seats: object) -> None:
    response = client.post("/signups", json={"email": "ada@example.com", "seats": seats})
    assert response.status_code == 422
    assert list(fields_in_error(response.json())) == ["seats"]
    assert signups == {}


def test_bad_email_is_422_for_that_field(client: TestClient) -> None:
    response = client.post("/signups", json={"email": "ada.example.com", "seats": 2})
    assert response.status_code == 422
    assert fields_in_error(response.json()) == {"email": "value_error"}


def test_missing_fields_are_each_reported(client: TestClient) -> None:
    response = client.post("/signups", json={})
    assert response.status_code == 422
    assert fields_in_error(response.json()) == {"email": "missing", "seats": "missing"}
