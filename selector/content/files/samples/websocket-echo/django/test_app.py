import pytest
from channels.testing import WebsocketCommunicator

from app import app

SAME_ORIGIN = [(b"origin", b"http://localhost")]


@pytest.mark.asyncio
async def test_each_text_message_comes_back() -> None:
    communicator = WebsocketCommunicator(app, "/echo", headers=SAME_ORIGIN)
    connected, _ = await communicator.connect()
    assert connected
    for message in ["hello", "second message"]:
        await communicator.send_to(text_data=message)
        assert await communicator.receive_from() == message
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_other_origins_are_refused() -> None:
    communicator = WebsocketCommunicator(
        app, "/echo", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
