from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app import Base, app, get_session


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    engine = create_engine(f"sqlite:///{tmp_path / 'items.sqlite3'}")
    Base.metadata.create_all(engine)

    def test_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    # Every endpoint that asks for get_session gets the test database's session instead.
    app.dependency_overrides[get_session] = test_session
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()
    engine.dispose()


def test_created_item_can_be_read_back(client: TestClient) -> None:
    created = client.post("/items", json={"name": "Teapot"})
    assert created.status_code == 201
    assert created.json() == {"id": 1, "name": "Teapot"}

    fetched = client.get("/items/1")
    assert fetched.status_code == 200
    assert fetched.json() == {"id": 1, "name": "Teapot"}


def test_each_item_gets_its_own_id(client: TestClient) -> None:
    client.post("/items", json={"name": "Desk"})
    assert client.post("/items", json={"name": "Chair"}).json() == {"id": 2, "name": "Chair"}
    assert client.get("/items/1").json()["name"] == "Desk"


def test_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/items/99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize("body", [{"title": "Teapot"}, {"name": ""}, {"name": "   "}, {"name": 7}])
def test_item_without_a_name_is_refused_and_not_stored(client: TestClient, body: object) -> None:
    response = client.post("/items", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert client.get("/items/1").status_code == 404
