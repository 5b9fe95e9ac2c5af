from quart import Quart, websocket

app = Quart(__name__)


@app.websocket("/echo")
async def echo() -> None:
    # The loop ends when the client disconnects: Quart cancels this coroutine for us.
    while True:
        message = await websocket.receive()
        await websocket.send(message)
