from django.test import Client

import app  # noqa: F401  (importing it configures Django and its URLs)

# `client` is pytest-django's fixture: Django's test client, after the test environment is set up.


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


def test_the_response_shape_is_in_the_openapi_document(client: Client) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["Greeting"]["required"] == ["message"]
