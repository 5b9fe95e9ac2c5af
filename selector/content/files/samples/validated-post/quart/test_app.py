from typing import Any

import pytest
from quart.testing import QuartClient

from app import app, signups


@pytest.fixture
def client() -> QuartClient:
    signups.clear()
    return app.test_client()


def invalid_fields(body: dict[str, Any]) -> set[str]:
    return {problem["loc"][-1] for problem in body["detail"]}


@pytest.mark.asyncio
async def test_valid_signup_is_created(client: QuartClient) -> None:
    response = await client.post("/signups", json={"email": "ada@example.com", "seats": 3})
    assert response.status_code == 201
    assert await response.get_json() == {"id": 1, "email": "ada@example.com", "seats": 3}


@pytest.mark.asyncio
@pytest.mark.parametrize("seats", [0, 51, "3", 2.5])
async def test_seats_out_of_range_or_not_an_integer(client: QuartClient, seats: object) -> None:
    response = await client.post("/signups", json={"email": "ada@example.com", "seats": seats})
    assert response.status_code == 422
    assert invalid_fields(await response.get_json()) == {"seats"}
    assert signups == {}


@pytest.mark.asyncio
async def test_bad_email_is_422(client: QuartClient) -> None:
    response = await client.post("/signups", json={"email": "not-an-email", "seats": 2})
    assert response.status_code == 422
    (problem,) = (await response.get_json())["detail"]
    assert problem["loc"] == ["body", "email"]
    assert problem["msg"].endswith("An email address must have an @-sign.")


@pytest.mark.asyncio
async def test_missing_fields_are_each_reported(client: QuartClient) -> None:
    response = await client.post("/signups", json={})
    assert response.status_code == 422
    assert invalid_fields(await response.get_json()) == {"email", "seats"}
