from collections.abc import Iterator

import pytest
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

import app  # noqa: F401  (importing it configures Django and its URLs)


@pytest.fixture(scope="module", autouse=True)
def django_test_environment() -> Iterator[None]:
    # What Django's own test runner does first, e.g. allowing the client's "testserver" host.
    setup_test_environment()
    yield
    teardown_test_environment()


@pytest.fixture
def client() -> Client:
    return Client()


def test_valid_signup_is_stored_and_returned(client: Client) -> None:
    response = client.post("/signups", {"email": "ada@example.com", "seats": 3}, "application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ada@example.com"
    assert body["seats"] == 3
    assert isinstance(body["id"], int)


def test_each_bad_field_gets_an_error(client: Client) -> None:
    response = client.post("/signups", {"email": "not-an-email", "seats": 51}, "application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"email", "seats"}
    assert errors["seats"][0]["code"] == "max_value"


def test_missing_fields_are_required(client: Client) -> None:
    response = client.post("/signups", {}, "application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["email"][0]["code"] == "required"
    assert errors["seats"][0]["code"] == "required"


def test_body_that_is_not_json_is_refused(client: Client) -> None:
    response = client.post("/signups", "seats=3", "text/plain")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"email", "seats"}


def test_zero_seats_is_below_the_minimum(client: Client) -> None:
    response = client.post("/signups", {"email": "ada@example.com", "seats": 0}, "application/json")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["seats"]
