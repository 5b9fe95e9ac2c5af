import os
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

# app.py will not start without a key; HS256 wants at least 32 bytes of it.
KEY = os.environ["SECRET_KEY"] = "a-key-for-tests-only-and-32-bytes-long"

from app import app, current_user


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def log_in(client: TestClient, password: str = "correct horse battery staple") -> str:
    response = client.post("/login", data={"username": "ada", "password": password})
    assert response.status_code == 200
    return str(response.json()["access_token"])


def test_no_token_is_401(client: TestClient) -> None:
    response = client.get("/account")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_wrong_password_gets_no_token(client: TestClient) -> None:
    response = client.post("/login", data={"username": "ada", "password": "guess"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password"}


def test_unknown_user_gets_no_token(client: TestClient) -> None:
    response = client.post("/login", data={"username": "eve", "password": "guess"})
    assert response.status_code == 401


def test_logged_in_user_sees_the_account(client: TestClient) -> None:
    token = log_in(client)
    response = client.get("/account", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"username": "ada"}


@pytest.mark.parametrize(
    ("key", "expires_in"),
    [("another-key-of-32-bytes-or-more-long", timedelta(minutes=5)), (KEY, timedelta(minutes=-1))],
    ids=["forged", "expired"],
)
def test_forged_or_expired_token_is_401(
    client: TestClient, key: str, expires_in: timedelta
) -> None:
    claims = {"sub": "ada", "exp": datetime.now(UTC) + expires_in}
    token = jwt.encode(claims, key, algorithm="HS256")
    response = client.get("/account", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token"}


def test_routes_that_only_need_a_user_can_skip_the_login(client: TestClient) -> None:
    app.dependency_overrides[current_user] = lambda: "grace"
    try:
        assert client.get("/account").json() == {"username": "grace"}
    finally:
        app.dependency_overrides.clear()
