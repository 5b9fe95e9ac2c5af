import re

import pytest
from django.test import Client

import app  # noqa: F401  (importing it configures Django and its URLs)


@pytest.fixture
def client() -> Client:
    # Django's test client (and pytest-django's `client`) skips CSRF checks unless asked.
    return Client(enforce_csrf_checks=True)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_page_shows_the_form_with_a_token(client: Client) -> None:
    response = client.get("/subscribe")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="email" name="email"' in html
    assert csrf_token_from(html)


def test_post_with_token_redirects_to_thanks(client: Client) -> None:
    token = csrf_token_from(client.get("/subscribe").content.decode())
    response = client.post("/subscribe", {"email": "ada@example.com", "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert response["Location"] == "/thanks"
    assert "Thanks for subscribing" in client.get(response["Location"]).content.decode()


def test_post_without_token_is_refused(client: Client) -> None:
    client.get("/subscribe")  # the CSRF cookie alone is not enough
    response = client.post("/subscribe", {"email": "ada@example.com"})
    assert response.status_code == 403


def test_invalid_email_shows_the_form_again(client: Client) -> None:
    token = csrf_token_from(client.get("/subscribe").content.decode())
    response = client.post("/subscribe", {"email": "nope", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
