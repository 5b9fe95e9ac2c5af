from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import Item, create_app, db

ADMIN = {"Authorization": "Basic YWRtaW46Y29ycmVjdCBob3JzZQ=="}  # admin:correct horse


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    monkeypatch.setenv("ADMIN_PASSWORD", "correct horse")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'items.sqlite3'}")
    app = create_app()
    with app.app_context():
        db.create_all()
        db.session.add(Item(name="Lamp", price=30))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def names(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(Item.name).order_by(Item.id)))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_admin_lists_the_items(client: FlaskClient) -> None:
    page = client.get("/admin/item/", headers=ADMIN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lamp" in html and "30" in html


def test_the_admin_form_adds_an_item(app: Flask, client: FlaskClient) -> None:
    response = client.post("/admin/item/new/", data={"name": "Desk", "price": "120"}, headers=ADMIN)
    assert response.status_code == 302
    assert names(app) == ["Lamp", "Desk"]


def test_the_form_refuses_a_price_that_is_not_a_number(app: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/admin/item/new/", data={"name": "Desk", "price": "lots"}, headers=ADMIN
    )
    assert response.status_code == 200
    assert "Not a valid integer value" in response.get_data(as_text=True)
    assert names(app) == ["Lamp"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic YWRtaW46Z3Vlc3M="}])
def test_the_admin_refuses_anyone_else(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.get("/admin/item/", headers=headers)
    assert response.status_code == 401
    assert "Lamp" not in response.get_data(as_text=True)


def test_the_app_refuses_to_start_without_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(KeyError, match="SECRET_KEY"):
        create_app()
