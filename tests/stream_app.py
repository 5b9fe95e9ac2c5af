"""A bare ASGI app for the streaming tests behind nginx.

A WebSocket gets each text message echoed back. A plain HTTP request to /events or
/events-unmarked starts an event stream, sends one event and holds the stream open until the
client goes; /events marks it `X-Accel-Buffering: no`, as FastAPI's EventSourceResponse
does. Any other plain HTTP request (one that reached it without its upgrade) gets 426.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Message = dict[str, Any]

NOT_UPGRADED = b"plain HTTP: no WebSocket upgrade reached the app\n"
EVENT = b"data: one\n\n"


async def app(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
    elif scope["type"] == "http" and scope["path"] in ("/events", "/events-unmarked"):
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]
        if scope["path"] == "/events":
            headers.append((b"x-accel-buffering", b"no"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": EVENT, "more_body": True})
        while (await receive())["type"] != "http.disconnect":
            pass
    elif scope["type"] == "http":
        await send({"type": "http.response.start", "status": 426, "headers": []})
        await send({"type": "http.response.body", "body": NOT_UPGRADED})
    else:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while (message := await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": message.get("text")})
