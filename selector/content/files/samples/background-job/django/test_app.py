from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment

import app  # noqa: F401  (importing it configures Django and its URLs)

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module", autouse=True)
def django_test_environment() -> Iterator[None]:
    # What Django's own test runner does first, e.g. keeping sent mail in mail.outbox.
    setup_test_environment()
    # Run each job inline, whatever backend production is configured with.
    with override_settings(TASKS=IMMEDIATE):
        yield
    teardown_test_environment()


@pytest.fixture
def client() -> Client:
    mail.outbox.clear()
    return Client()


def test_report_is_accepted_and_the_job_sends_it(client: Client) -> None:
    response = client.post("/reports", {"email": "ada@example.com"}, "application/json")
    assert response.status_code == 202
    assert response.json()["task_id"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    assert mail.outbox[0].subject == "Your report"


def test_bad_address_starts_no_job(client: Client) -> None:
    response = client.post("/reports", {"email": "nobody"}, "application/json")
    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    assert mail.outbox == []
