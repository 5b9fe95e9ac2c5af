from urllib.parse import urlsplit

from quart import Quart, abort, websocket

# Browsers let a page on any site open a WebSocket to yours: accept only your own pages.
ALLOWED_HOSTS = {"localhost", "127.0.0.1"}

app = Quart(__name__)


@app.websocket("/echo")
async def echo() -> None:
    # Before the first send or receive nothing is accepted yet, so this refuses the handshake.
    if urlsplit(websocket.headers.get("Origin", "")).hostname not in ALLOWED_HOSTS:
        abort(403)
    # The loop ends when the client disconnects: Quart cancels this coroutine for us.
    while True:
        await websocket.send(await websocket.receive())
