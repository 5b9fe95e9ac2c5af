import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app import app

SAME_ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_each_message_comes_back(client: TestClient) -> None:
    with client.websocket_connect("/echo", headers=SAME_ORIGIN) as websocket:
        for text in ["hello", "", "ünïcode ✓"]:
            websocket.send_text(text)
            assert websocket.receive_text() == text


def test_messages_come_back_in_order(client: TestClient) -> None:
    with client.websocket_connect("/echo", headers=SAME_ORIGIN) as websocket:
        websocket.send_text("first")
        websocket.send_text("second")
        assert websocket.receive_text() == "first"
        assert websocket.receive_text() == "second"


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {}])
def test_other_origins_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/echo", headers=headers),
    ):
        pass
    assert refused.value.code == 1008


def test_plain_http_get_is_not_a_websocket(client: TestClient) -> None:
    assert client.get("/echo").status_code == 404
