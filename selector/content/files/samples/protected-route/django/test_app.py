import os
from typing import TYPE_CHECKING

import pytest
from django.test import Client

os.environ["DJANGO_SECRET_KEY"] = "a-key-for-tests-only"  # app.py will not start without one

import app  # noqa: F401  (importing it configures Django and its URLs)

if TYPE_CHECKING:  # models can be imported only once Django is set up
    from django.contrib.auth.models import User

# pytest-django makes the test database, with the auth tables, and rolls each test back.
pytestmark = pytest.mark.django_db
ADA = {"username": "ada", "password": "correct horse battery staple"}


@pytest.fixture(autouse=True)
def ada(django_user_model: type["User"]) -> "User":
    # On a real site: python app.py createsuperuser, or a sign-up view doing the same.
    return django_user_model.objects.create_user(**ADA)


def test_visitor_is_refused(client: Client) -> None:
    response = client.get("/account")
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


def test_user_who_logs_in_sees_the_account(client: Client) -> None:
    response = client.post("/login", ADA)
    assert response.status_code == 200
    account = client.get("/account")
    assert account.status_code == 200
    assert account.json() == {"username": "ada"}


def test_wrong_password_gets_no_session(client: Client) -> None:
    response = client.post("/login", {**ADA, "password": "guess"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password"}
    assert client.get("/account").status_code == 401


def test_the_client_helper_logs_a_user_in(client: Client, ada: "User") -> None:
    client.force_login(ada)
    assert client.get("/account").json() == {"username": "ada"}
