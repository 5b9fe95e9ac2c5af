import threading
from collections.abc import Iterator

import pytest
from simple_websocket import Client
from werkzeug.serving import make_server

from app import app


@pytest.fixture
def server_url() -> Iterator[str]:
    # Flask's test client has no WebSocket support, so run a real server on a free port.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.server_port}/echo"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_each_message_comes_back(server_url: str) -> None:
    ws = Client.connect(server_url)
    try:
        for text in ["hello", "second message", "ünïcode ✓"]:
            ws.send(text)
            assert ws.receive(timeout=5) == text
    finally:
        ws.close()


def test_connections_are_independent(server_url: str) -> None:
    first, second = Client.connect(server_url), Client.connect(server_url)
    try:
        second.send("to second")
        first.send("to first")
        assert first.receive(timeout=5) == "to first"
        assert second.receive(timeout=5) == "to second"
    finally:
        first.close()
        second.close()


def test_plain_http_request_is_not_upgraded() -> None:
    response = app.test_client().get("/echo")
    assert response.status_code == 400
