import re

import pytest
from flask.testing import FlaskClient

from app import create_app, subscribers


@pytest.fixture
def client() -> FlaskClient:
    subscribers.clear()
    return create_app({"SECRET_KEY": "a-key-for-tests-only"}).test_client()


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/subscribe").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the form has no CSRF token"
    return match.group(1)


def test_page_shows_a_form_with_an_email_field(client: FlaskClient) -> None:
    response = client.get("/subscribe")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<form method="post">' in page
    assert 'required type="email"' in page
    assert csrf_token(client)


def test_valid_post_redirects_to_thanks(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/subscribe", data={"csrf_token": token, "email": "ada@example.com"})
    assert response.status_code == 303
    assert response.location == "/thanks"
    assert subscribers == ["ada@example.com"]
    assert "Thanks for subscribing" in client.get(response.location).get_data(as_text=True)


def test_post_without_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/subscribe", data={"email": "ada@example.com"})
    assert response.status_code == 403
    assert subscribers == []


def test_post_with_forged_token_is_refused(client: FlaskClient) -> None:
    csrf_token(client)  # the session exists, but the token sent does not match it
    response = client.post("/subscribe", data={"csrf_token": "forged", "email": "ada@example.com"})
    assert response.status_code == 403
    assert subscribers == []


def test_invalid_email_shows_the_form_again_with_an_error(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/subscribe", data={"csrf_token": token, "email": "not-an-email"})
    assert response.status_code == 200
    assert "Invalid email address." in response.get_data(as_text=True)
    assert subscribers == []


def test_the_app_will_not_start_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="FLASK_SECRET_KEY"):
        create_app()
