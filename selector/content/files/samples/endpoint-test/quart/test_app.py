import pytest
from quart.testing import QuartClient

from app import app


@pytest.fixture
def client() -> QuartClient:
    # The test client calls the ASGI app directly: no server, no network.
    return app.test_client()


@pytest.mark.asyncio
async def test_known_item_is_returned(client: QuartClient) -> None:
    response = await client.get("/items/1")
    assert response.status_code == 200
    assert await response.get_json() == {"id": 1, "name": "Teapot"}


@pytest.mark.asyncio
async def test_unknown_item_is_404(client: QuartClient) -> None:
    response = await client.get("/items/99")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Item not found"}
