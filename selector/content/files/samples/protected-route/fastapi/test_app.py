import pytest
from fastapi.testclient import TestClient

from app import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def log_in(client: TestClient, password: str = "analytical-engine") -> str:
    response = client.post("/token", data={"username": "ada", "password": password})
    assert response.status_code == 200
    return str(response.json()["access_token"])


def test_no_token_is_401(client: TestClient) -> None:
    response = client.get("/account")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_made_up_token_is_401(client: TestClient) -> None:
    response = client.get("/account", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


def test_wrong_password_gets_no_token(client: TestClient) -> None:
    response = client.post("/token", data={"username": "ada", "password": "guess"})
    assert response.status_code == 401
    assert "access_token" not in response.json()


def test_unknown_user_gets_no_token(client: TestClient) -> None:
    response = client.post("/token", data={"username": "eve", "password": "analytical-engine"})
    assert response.status_code == 401


def test_logged_in_user_sees_the_account(client: TestClient) -> None:
    token = log_in(client)
    response = client.get("/account", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"username": "ada"}
