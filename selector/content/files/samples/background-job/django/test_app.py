import pytest
from django.core.mail import EmailMessage
from django.test import Client
from pytest_django.fixtures import Settings

import app  # noqa: F401  (importing it configures Django and its URLs)


@pytest.fixture(autouse=True)
def jobs_run_inline(settings: Settings) -> None:
    # pytest-django's settings fixture: whatever backend production uses, run each job at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_report_is_accepted_and_the_job_sends_it(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post("/reports", {"email": "ada@example.com"}, "application/json")
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "email": "ada@example.com"}
    (sent,) = mailoutbox
    assert sent.to == ["ada@example.com"]
    assert sent.subject == "Your report"


@pytest.mark.parametrize("body", [{"email": "nobody"}, {}])
def test_bad_address_starts_no_job(
    client: Client, mailoutbox: list[EmailMessage], body: dict[str, str]
) -> None:
    response = client.post("/reports", body, "application/json")
    assert response.status_code == 422
    assert [problem["loc"][-1] for problem in response.json()["detail"]] == ["email"]
    assert mailoutbox == []
