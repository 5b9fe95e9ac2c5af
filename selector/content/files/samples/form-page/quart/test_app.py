import os
import re

import pytest
from quart.testing import QuartClient

os.environ["SECRET_KEY"] = "a-key-for-tests-only"  # app.py will not start without one

from app import app


@pytest.fixture
def client() -> QuartClient:
    return app.test_client()


async def fetch_token(client: QuartClient) -> str:
    response = await client.get("/subscribe")
    assert response.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', await response.get_data(as_text=True))
    assert match, "the form carries no CSRF token"
    return match.group(1)


@pytest.mark.asyncio
async def test_form_page_has_an_email_field(client: QuartClient) -> None:
    response = await client.get("/subscribe")
    assert 'type="email" name="email"' in await response.get_data(as_text=True)


@pytest.mark.asyncio
async def test_valid_post_redirects_to_thanks(client: QuartClient) -> None:
    token = await fetch_token(client)
    form = {"email": "ada@example.com", "csrf_token": token}
    response = await client.post("/subscribe", form=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/thanks"


@pytest.mark.asyncio
async def test_post_without_token_is_refused(client: QuartClient) -> None:
    await fetch_token(client)
    response = await client.post("/subscribe", form={"email": "ada@example.com"})
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_token_from_another_session_is_refused(client: QuartClient) -> None:
    token = await fetch_token(app.test_client())
    await fetch_token(client)
    form = {"email": "ada@example.com", "csrf_token": token}
    response = await client.post("/subscribe", form=form)
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_bad_email_shows_the_form_again(client: QuartClient) -> None:
    token = await fetch_token(client)
    response = await client.post("/subscribe", form={"email": "nope", "csrf_token": token})
    assert response.status_code == 200
    assert "must have an @-sign" in await response.get_data(as_text=True)
