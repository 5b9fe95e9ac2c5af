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


def test_default_greeting(client: Client) -> None:
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, world!"}


def test_name_from_query_string(client: Client) -> None:
    response = client.get("/hello", {"name": "Ada"})
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, Ada!"}


def test_other_methods_are_refused(client: Client) -> None:
    assert client.post("/hello").status_code == 405
