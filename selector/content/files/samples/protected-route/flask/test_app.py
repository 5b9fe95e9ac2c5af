import pytest
from flask.testing import FlaskClient

from app import create_app


@pytest.fixture
def client() -> FlaskClient:
    # Each test client has its own cookie jar, so every test starts logged out.
    return create_app({"TESTING": True, "SECRET_KEY": "a-key-for-tests-only"}).test_client()


def log_in(client: FlaskClient, password: str = "correct horse battery staple") -> int:
    return client.post("/login", data={"username": "ada", "password": password}).status_code


def test_account_refuses_anonymous_requests(client: FlaskClient) -> None:
    response = client.get("/account")
    assert response.status_code == 401
    assert response.get_json() == {"detail": "Not authenticated"}


def test_wrong_password_gives_no_access(client: FlaskClient) -> None:
    assert log_in(client, password="guess") == 401
    assert client.get("/account").status_code == 401


def test_unknown_user_gives_no_access(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "eve", "password": "guess"})
    assert response.status_code == 401
    assert client.get("/account").status_code == 401


def test_logged_in_user_sees_the_account(client: FlaskClient) -> None:
    assert log_in(client) == 200
    response = client.get("/account")
    assert response.status_code == 200
    assert response.get_json() == {"username": "ada"}


def test_the_app_will_not_start_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="FLASK_SECRET_KEY"):
        create_app()
