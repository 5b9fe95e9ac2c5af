import pytest
from flask.testing import FlaskClient

from app import create_app, sent_reports


@pytest.fixture
def client() -> FlaskClient:
    sent_reports.clear()
    # Eager mode runs each job in this process at once, so no broker or worker is needed.
    eager = {"CELERY": {"task_always_eager": True, "task_eager_propagates": True}}
    return create_app(eager).test_client()


def test_request_is_accepted_and_the_job_runs(client: FlaskClient) -> None:
    response = client.post("/reports", json={"email": "ada@example.com"})
    assert response.status_code == 202
    assert response.get_json() == {"status": "accepted", "email": "ada@example.com"}
    assert sent_reports == ["ada@example.com"]


def test_each_request_queues_its_own_job(client: FlaskClient) -> None:
    client.post("/reports", json={"email": "ada@example.com"})
    client.post("/reports", json={"email": "grace@example.com"})
    assert sent_reports == ["ada@example.com", "grace@example.com"]


@pytest.mark.parametrize("body", [{"email": "nobody"}, {}, None])
def test_bad_request_queues_nothing(client: FlaskClient, body: object) -> None:
    response = client.post("/reports", json=body)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.get_json()["detail"]] == [["body", "email"]]
    assert sent_reports == []
