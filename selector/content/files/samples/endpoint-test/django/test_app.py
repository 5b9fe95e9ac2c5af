from django.test import Client

import app  # noqa: F401  (importing it configures Django and its URLs)

# `client` is pytest-django's fixture. The plugin also sets up what Django's own test runner
# would (the test environment, a test database for tests marked django_db); with Django's
# runner instead, the same tests are methods of a django.test.TestCase and use self.client.


def test_existing_item_is_returned_as_json(client: Client) -> None:
    response = client.get("/items/1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"id": 1, "name": "Teapot"}


def test_missing_item_is_404(client: Client) -> None:
    response = client.get("/items/99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


def test_id_that_is_not_a_number_is_422(client: Client) -> None:
    response = client.get("/items/teapot")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]
