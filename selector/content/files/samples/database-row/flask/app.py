import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Resolved here because Flask-SQLAlchemy puts relative SQLite paths in the instance folder.
ITEMS_DB = Path(os.environ.get("ITEMS_DB", "items.sqlite3")).resolve()


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{ITEMS_DB}"
db.init_app(app)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


def init_db() -> None:
    with app.app_context():
        db.create_all()
        # Close the pooled connection so forked server workers do not share it.
        db.engine.dispose()


@app.post("/items")
def create_item() -> tuple[dict[str, Any], int]:
    payload = request.get_json(silent=True)
    name = payload.get("name") if isinstance(payload, dict) else None
    if not isinstance(name, str) or not name.strip():
        # Flask has no input validation of its own: report the bad field by name, with a 422.
        return {"errors": {"name": ["a non-empty string is required"]}}, 422
    item = Item(name=name)
    db.session.add(item)
    db.session.commit()
    return item.to_dict(), 201


@app.get("/items/<int:item_id>")
def read_item(item_id: int) -> tuple[dict[str, Any], int]:
    item = db.session.get(Item, item_id)
    if item is None:
        return {"error": "item not found"}, 404
    return item.to_dict(), 200
