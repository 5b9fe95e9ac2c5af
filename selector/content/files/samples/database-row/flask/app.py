import os
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
bp = Blueprint("items", __name__)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@bp.post("/items")
def create_item() -> tuple[dict[str, Any], int]:
    payload = request.get_json(silent=True)
    name = payload.get("name") if isinstance(payload, dict) else None
    if not isinstance(name, str) or not name.strip():
        # Flask validates nothing itself: name the bad field, in the shape FastAPI answers.
        return {"detail": [{"loc": ["body", "name"], "msg": "a non-blank string is required"}]}, 422
    item = Item(name=name)
    db.session.add(item)
    db.session.commit()
    return item.to_dict(), 201


@bp.get("/items/<int:item_id>")
def read_item(item_id: int) -> tuple[dict[str, Any], int]:
    item = db.session.get(Item, item_id)
    if item is None:
        return {"detail": "Item not found"}, 404
    return item.to_dict(), 200


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    # Resolved here because Flask-SQLAlchemy puts relative SQLite paths in the instance folder.
    items_db = Path(os.environ.get("ITEMS_DB", "items.sqlite3")).resolve()
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{items_db}"
    app.config.update(test_config or {})
    db.init_app(app)
    app.register_blueprint(bp)
    return app


def init_db() -> None:
    """Create missing tables once, before the server starts its workers."""
    with create_app().app_context():
        db.create_all()
        # Close the pooled connection so forked server workers do not share it.
        db.engine.dispose()
