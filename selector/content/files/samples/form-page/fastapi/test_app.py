import re

import pytest
from fastapi.testclient import TestClient

from app import app, subscribers


@pytest.fixture
def client() -> TestClient:
    subscribers.clear()
    return TestClient(app)


def form_token(client: TestClient) -> str:
    page = client.get("/subscribe")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_page_has_an_email_field_and_a_token(client: TestClient) -> None:
    page = client.get("/subscribe")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'type="email" name="email"' in page.text
    assert re.search(r'name="csrf_token" value="[\w-]{20,}"', page.text)


def test_post_with_token_redirects_to_thanks(client: TestClient) -> None:
    token = form_token(client)
    response = client.post(
        "/subscribe", data={"email": "ada@example.com", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/thanks"
    assert subscribers == ["ada@example.com"]
    assert "Thanks" in client.get(response.headers["location"]).text


def test_post_without_token_is_refused(client: TestClient) -> None:
    form_token(client)  # the visitor has the cookie, but the form omits the token
    response = client.post("/subscribe", data={"email": "ada@example.com"})
    assert response.status_code == 403
    assert subscribers == []


def test_post_with_another_token_is_refused(client: TestClient) -> None:
    form_token(client)
    response = client.post("/subscribe", data={"email": "ada@example.com", "csrf_token": "forged"})
    assert response.status_code == 403
    assert subscribers == []


def test_bad_email_is_not_stored(client: TestClient) -> None:
    token = form_token(client)
    response = client.post("/subscribe", data={"email": "not-an-email", "csrf_token": token})
    assert response.status_code == 422
    assert subscribers == []
