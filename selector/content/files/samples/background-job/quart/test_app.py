import asyncio

import pytest

from app import app, send_report, sent_reports


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    sent_reports.clear()


@pytest.mark.asyncio
async def test_answers_at_once_and_sends_the_report_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hold the job back until the test lets it go, so the order is certain, not timed.
    release = asyncio.Event()

    async def held_job(email: str) -> None:
        await release.wait()
        await send_report(email)

    monkeypatch.setattr("app.send_report", held_job)
    async with app.test_app() as test_app:
        # A view that waited for its job would never answer here, and the timeout fails it.
        async with asyncio.timeout(5):
            response = await test_app.test_client().post(
                "/reports", json={"email": "ada@example.com"}
            )
        assert response.status_code == 202
        assert await response.get_json() == {"status": "accepted", "email": "ada@example.com"}
        assert sent_reports == []
        release.set()
    # Leaving test_app shuts the app down, which waits for its background tasks.
    assert sent_reports == ["ada@example.com"]


@pytest.mark.asyncio
@pytest.mark.parametrize("body", [{"mail": "ada@example.com"}, {"email": "nobody"}])
async def test_bad_request_starts_no_job(body: dict[str, str]) -> None:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post("/reports", json=body)
        assert response.status_code == 422
        problems = (await response.get_json())["detail"]
        assert [problem["loc"] for problem in problems] == [["body", "email"]]
    assert sent_reports == []
