import pytest
from quart.testing import QuartClient

from app import app


@pytest.fixture
def client() -> QuartClient:
    return app.test_client()


@pytest.mark.asyncio
async def test_valid_signup_is_created(client: QuartClient) -> None:
    response = await client.post("/signups", json={"email": "ada@example.com", "seats": 3})
    assert response.status_code == 201
    body = await response.get_json()
    assert body["email"] == "ada@example.com"
    assert body["seats"] == 3
    assert isinstance(body["id"], int)


@pytest.mark.asyncio
@pytest.mark.parametrize("seats", [0, 51, "many"])
async def test_seats_out_of_range_is_422(client: QuartClient, seats: object) -> None:
    response = await client.post("/signups", json={"email": "ada@example.com", "seats": seats})
    assert response.status_code == 422
    errors = (await response.get_json())["errors"]
    assert list(errors) == ["seats"]
    assert errors["seats"]


@pytest.mark.asyncio
async def test_bad_email_is_422(client: QuartClient) -> None:
    response = await client.post("/signups", json={"email": "not-an-email", "seats": 2})
    assert response.status_code == 422
    errors = (await response.get_json())["errors"]
    assert errors["email"] == [
        "value is not a valid email address: An email address must have an @-sign."
    ]


@pytest.mark.asyncio
async def test_missing_fields_are_each_reported(client: QuartClient) -> None:
    response = await client.post("/signups", json={})
    assert response.status_code == 422
    errors = (await response.get_json())["errors"]
    assert set(errors) == {"email", "seats"}
