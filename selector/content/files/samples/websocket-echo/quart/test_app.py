import pytest
from quart.testing import QuartClient, WebsocketResponseError

from app import app

SAME_ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def client() -> QuartClient:
    return app.test_client()


@pytest.mark.asyncio
async def test_each_message_comes_back(client: QuartClient) -> None:
    async with client.websocket("/echo", headers=SAME_ORIGIN) as ws:
        for text in ("hello", "second message", "héllo ✓"):
            await ws.send(text)
            assert await ws.receive() == text


@pytest.mark.asyncio
async def test_messages_come_back_in_order(client: QuartClient) -> None:
    async with client.websocket("/echo", headers=SAME_ORIGIN) as ws:
        for n in range(3):
            await ws.send(f"message {n}")
        assert [await ws.receive() for _ in range(3)] == ["message 0", "message 1", "message 2"]


@pytest.mark.asyncio
@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {}])
async def test_other_origins_are_refused(client: QuartClient, headers: dict[str, str]) -> None:
    with pytest.raises(WebsocketResponseError) as refused:
        async with client.websocket("/echo", headers=headers) as ws:
            await ws.send("hello")
    assert refused.value.response.status_code == 403
