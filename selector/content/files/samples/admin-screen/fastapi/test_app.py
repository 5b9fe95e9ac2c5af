import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

LOGIN = {"username": "admin", "password": "correct horse"}


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    # app.py reads its settings when it is imported: set them, then import afresh.
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    monkeypatch.setenv("ADMIN_PASSWORD", LOGIN["password"])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'items.sqlite3'}")
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = importlib.import_module("app")
    module.Base.metadata.create_all(module.engine)
    with Session(module.engine) as session:
        session.add(module.Item(name="Lamp", price=30))
        session.commit()
    yield module
    module.engine.dispose()


@pytest.fixture
def client(sample: ModuleType) -> Iterator[TestClient]:
    with TestClient(sample.app) as client:
        yield client


def names(sample: ModuleType) -> list[str]:
    with Session(sample.engine) as session:
        return list(session.scalars(select(sample.Item.name).order_by(sample.Item.id)))


def test_the_admin_lists_the_items_after_login(client: TestClient) -> None:
    assert client.post("/admin/login", data=LOGIN).status_code == 200  # after the redirect
    page = client.get("/admin/item/list")
    assert page.status_code == 200
    assert "Lamp" in page.text and "30" in page.text


def test_the_admin_form_adds_an_item(sample: ModuleType, client: TestClient) -> None:
    client.post("/admin/login", data=LOGIN)
    response = client.post(
        "/admin/item/create", data={"name": "Desk", "price": "120"}, follow_redirects=False
    )
    assert response.status_code == 302
    assert names(sample) == ["Lamp", "Desk"]


def test_the_form_refuses_a_price_that_is_not_a_number(
    sample: ModuleType, client: TestClient
) -> None:
    client.post("/admin/login", data=LOGIN)
    response = client.post("/admin/item/create", data={"name": "Desk", "price": "lots"})
    assert response.status_code == 400
    assert "Not a valid integer value" in response.text
    assert names(sample) == ["Lamp"]


def test_a_visitor_is_sent_to_the_login(client: TestClient) -> None:
    response = client.get("/admin/item/list", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")


def test_a_wrong_password_gets_no_session(client: TestClient) -> None:
    response = client.post("/admin/login", data={**LOGIN, "password": "guess"})
    assert response.status_code == 400
    assert client.get("/admin/item/list", follow_redirects=False).status_code == 302


def test_the_app_refuses_to_start_without_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    started = subprocess.run([sys.executable, "-c", "import app"], capture_output=True, text=True)
    assert started.returncode != 0
    assert "KeyError: 'SECRET_KEY'" in started.stderr
