from collections.abc import Iterator

import pytest
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

import app  # noqa: F401  (importing it configures Django and its URLs)


@pytest.fixture(scope="module", autouse=True)
def django_test_environment() -> Iterator[None]:
    # Django's test runner (and pytest-django) do this for you: among other things it
    # lets the test client's "testserver" host past ALLOWED_HOSTS.
    setup_test_environment()
    yield
    teardown_test_environment()


@pytest.fixture
def client() -> Client:
    return Client()


def test_existing_item_is_returned_as_json(client: Client) -> None:
    response = client.get("/items/1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"id": 1, "name": "Teapot"}


def test_missing_item_is_404(client: Client) -> None:
    response = client.get("/items/42")
    assert response.status_code == 404
    assert response.json() == {"error": "item not found"}
