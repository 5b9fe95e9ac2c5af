import pytest
from quart.testing import QuartClient

from app import app


@pytest.fixture
def client() -> QuartClient:
    return app.test_client()


@pytest.mark.asyncio
async def test_default_greeting(client: QuartClient) -> None:
    response = await client.get("/hello")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert await response.get_json() == {"message": "Hello, world!"}


@pytest.mark.asyncio
async def test_greeting_uses_the_name_parameter(client: QuartClient) -> None:
    response = await client.get("/hello", query_string={"name": "Ada"})
    assert response.status_code == 200
    assert await response.get_json() == {"message": "Hello, Ada!"}


@pytest.mark.asyncio
async def test_other_methods_are_refused_in_json(client: QuartClient) -> None:
    response = await client.post("/hello")
    assert response.status_code == 405
    assert await response.get_json() == {"detail": "Method Not Allowed"}
