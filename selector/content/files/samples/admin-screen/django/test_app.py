import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

CHANGELIST = "/admin/items/item/"


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # app reads its settings when it is imported, so set them first.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECRET_KEY", "test-only-key")
        mp.setenv("ITEMS_DB", str(tmp_path_factory.mktemp("db") / "items.sqlite3"))
        import app

        # Django's own apps bring their migrations; a one-file app has no migrations folder,
        # so its table is created directly.
        call_command("migrate", verbosity=0)
        with connection.schema_editor() as editor:
            editor.create_model(app.Item)
        app.Item.objects.create(name="Lamp", price=30)
        users = get_user_model().objects
        users.create_superuser("ada", password="correct horse battery")
        users.create_user("bob", password="correct horse battery")
        # What Django's own test runner does first, e.g. allowing the "testserver" host.
        setup_test_environment()
        yield
        teardown_test_environment()


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="correct horse battery")
    return client


def test_staff_see_the_changelist() -> None:
    page = logged_in("ada").get(CHANGELIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Select item to change" in html
    assert "Lamp" in html and "30" in html


def test_staff_add_an_item_through_the_admin_form() -> None:
    client = logged_in("ada")
    response = client.post(f"{CHANGELIST}add/", {"name": "Desk", "price": "120"})
    assert response.status_code == 302
    assert "Desk" in client.get(f"{CHANGELIST}?q=Desk").content.decode()


def test_the_form_refuses_a_negative_price() -> None:
    response = logged_in("ada").post(f"{CHANGELIST}add/", {"name": "Chair", "price": "-5"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()


def test_visitors_are_sent_to_the_admin_login() -> None:
    response = Client().get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={CHANGELIST}"


def test_a_user_who_is_not_staff_is_kept_out() -> None:
    response = logged_in("bob").get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_site_refuses_to_start_without_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    started = subprocess.run([sys.executable, "-c", "import app"], capture_output=True, text=True)
    assert started.returncode != 0
    assert "KeyError: 'SECRET_KEY'" in started.stderr
