from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment


@pytest.fixture(scope="module", autouse=True)
def user_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    # app reads USERS_DB when it is imported, so point it at a temporary file first.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("USERS_DB", str(tmp_path_factory.mktemp("db") / "users.sqlite3"))
        import app  # noqa: F401
    call_command("migrate", verbosity=0)
    # On a real site: python app.py createsuperuser, or a sign-up view doing the same.
    get_user_model().objects.create_user("ada", password="correct horse battery")


@pytest.fixture(scope="module", autouse=True)
def django_test_environment(user_database: None) -> Iterator[None]:
    # What Django's own test runner does first, e.g. allowing the client's "testserver" host.
    setup_test_environment()
    yield
    teardown_test_environment()


@pytest.fixture
def client() -> Client:
    return Client()


def test_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/account"
    assert 'name="password"' in client.get(response["Location"]).content.decode()


def test_user_who_logs_in_sees_the_account(client: Client) -> None:
    response = client.post(
        "/accounts/login/?next=/account",
        {"username": "ada", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/account"

    account = client.get("/account")
    assert account.status_code == 200
    assert account.json() == {"username": "ada"}


def test_wrong_password_gets_no_session(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "ada", "password": "guess"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/account").status_code == 302
