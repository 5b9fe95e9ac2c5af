from contextlib import suppress
from urllib.parse import urlsplit

from fastapi import FastAPI, WebSocket, WebSocketDisconnect, status

# Browsers let a page on any site open a WebSocket to yours: accept only your own pages.
ALLOWED_HOSTS = {"localhost", "127.0.0.1"}

app = FastAPI()


@app.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    if urlsplit(websocket.headers.get("origin", "")).hostname not in ALLOWED_HOSTS:
        # Closing before accept() makes the server refuse the handshake with a 403.
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    await websocket.accept()
    # A client hanging up is the normal way out of the loop, not an error.
    with suppress(WebSocketDisconnect):
        while True:
            await websocket.send_text(await websocket.receive_text())
