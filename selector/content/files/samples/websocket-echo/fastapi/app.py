from contextlib import suppress

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


@app.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    # A client hanging up is the normal way out of the loop, not an error.
    with suppress(WebSocketDisconnect):
        while True:
            await websocket.send_text(await websocket.receive_text())
