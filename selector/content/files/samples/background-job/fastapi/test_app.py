import pytest
from fastapi.testclient import TestClient

from app import app, outbox


@pytest.fixture
def client() -> TestClient:
    outbox.clear()
    return TestClient(app)


def test_request_is_accepted_and_the_report_is_sent(client: TestClient) -> None:
    response = client.post("/reports", json={"email": "ada@example.com"})
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "email": "ada@example.com"}
    # The test client returns once the app is done, background tasks included.
    assert outbox == ["Your report is attached, ada@example.com"]


def test_each_request_sends_its_own_report(client: TestClient) -> None:
    client.post("/reports", json={"email": "ada@example.com"})
    client.post("/reports", json={"email": "grace@example.com"})
    assert len(outbox) == 2
    assert outbox[1].endswith("grace@example.com")


@pytest.mark.parametrize("body", [{}, {"email": "nobody"}])
def test_a_request_without_a_valid_email_queues_nothing(
    client: TestClient, body: dict[str, str]
) -> None:
    response = client.post("/reports", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    assert outbox == []
