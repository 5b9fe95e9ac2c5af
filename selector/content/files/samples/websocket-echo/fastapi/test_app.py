import pytest
from fastapi.testclient import TestClient

from app import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_each_message_comes_back(client: TestClient) -> None:
    with client.websocket_connect("/echo") as websocket:
        for text in ["hello", "", "ünïcode ✓"]:
            websocket.send_text(text)
            assert websocket.receive_text() == text


def test_messages_come_back_in_order(client: TestClient) -> None:
    with client.websocket_connect("/echo") as websocket:
        websocket.send_text("first")
        websocket.send_text("second")
        assert websocket.receive_text() == "first"
        assert websocket.receive_text() == "second"


def test_plain_http_get_is_not_a_websocket(client: TestClient) -> None:
    assert client.get("/echo").status_code == 404
