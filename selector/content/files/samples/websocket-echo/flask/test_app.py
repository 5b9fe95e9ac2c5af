import threading
from collections.abc import Iterator

import pytest
from simple_websocket import Client
from werkzeug.serving import make_server

from app import create_app

SAME_ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def server_url() -> Iterator[str]:
    # Flask's test client has no WebSocket support, so run a real server on a free port.
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.server_port}/echo"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_each_message_comes_back(server_url: str) -> None:
    ws = Client.connect(server_url, headers=SAME_ORIGIN)
    try:
        for text in ["hello", "second message", "ünïcode ✓"]:
            ws.send(text)
            assert ws.receive(timeout=5) == text
    finally:
        ws.close()


def test_connections_are_independent(server_url: str) -> None:
    first = Client.connect(server_url, headers=SAME_ORIGIN)
    second = Client.connect(server_url, headers=SAME_ORIGIN)
    try:
        second.send("to second")
        first.send("to first")
        assert first.receive(timeout=5) == "to first"
        assert second.receive(timeout=5) == "to second"
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {}])
def test_other_origins_are_refused_before_the_upgrade(headers: dict[str, str]) -> None:
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}
    response = create_app().test_client().get("/echo", headers={**upgrade, **headers})
    assert response.status_code == 403


def test_plain_http_request_is_not_upgraded() -> None:
    response = create_app().test_client().get("/echo", headers=SAME_ORIGIN)
    assert response.status_code == 400
