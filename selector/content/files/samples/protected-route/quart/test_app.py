import os

import pytest
from quart.testing import QuartClient
from quart_auth import authenticated_client, generate_auth_token

os.environ["SECRET_KEY"] = "a-key-for-tests-only"  # app.py will not start without one

from app import app

# Quart-Auth marks its cookie Secure, so the client must speak https to get it back.
HTTPS = {"scheme": "https"}
ADA = {"username": "ada", "password": "correct horse battery staple"}


@pytest.fixture
def client() -> QuartClient:
    return app.test_client()


@pytest.mark.asyncio
async def test_account_needs_a_login(client: QuartClient) -> None:
    response = await client.get("/account", **HTTPS)
    assert response.status_code == 401
    assert await response.get_json() == {"detail": "Not authenticated"}


@pytest.mark.asyncio
async def test_login_then_account(client: QuartClient) -> None:
    response = await client.post("/login", form=ADA, **HTTPS)
    assert response.status_code == 200
    response = await client.get("/account", **HTTPS)
    assert response.status_code == 200
    assert await response.get_json() == {"username": "ada"}


@pytest.mark.asyncio
async def test_wrong_password_gives_no_access(client: QuartClient) -> None:
    response = await client.post("/login", form={**ADA, "password": "guess"}, **HTTPS)
    assert response.status_code == 401
    assert (await client.get("/account", **HTTPS)).status_code == 401


@pytest.mark.asyncio
async def test_tampered_cookie_is_refused(client: QuartClient) -> None:
    token = generate_auth_token(client, "ada")
    client.set_cookie("localhost", "QUART_AUTH", token, secure=True)
    assert (await client.get("/account", **HTTPS)).status_code == 200
    client.set_cookie("localhost", "QUART_AUTH", token.replace(".", ".x", 1), secure=True)
    assert (await client.get("/account", **HTTPS)).status_code == 401


@pytest.mark.asyncio
async def test_helper_logs_a_test_client_in(client: QuartClient) -> None:
    # Quart-Auth's shortcut for tests that only need someone logged in.
    async with authenticated_client(client, "ada"):
        response = await client.get("/account", **HTTPS)
    assert await response.get_json() == {"username": "ada"}
