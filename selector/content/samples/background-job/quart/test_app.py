import pytest

from app import app, sent_reports


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    sent_reports.clear()


@pytest.mark.asyncio
async def test_answers_at_once_and_sends_the_report_afterwards() -> None:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post("/reports", json={"email": "ada@example.com"})
        assert response.status_code == 202
        assert await response.get_json() == {"status": "accepted", "email": "ada@example.com"}
        assert sent_reports == []  # the response did not wait for the job
    # Leaving test_app shuts the app down, which waits for its background tasks.
    assert sent_reports == ["ada@example.com"]


@pytest.mark.asyncio
async def test_bad_request_starts_no_job() -> None:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post("/reports", json={"mail": "ada@example.com"})
        assert response.status_code == 422
    assert sent_reports == []
