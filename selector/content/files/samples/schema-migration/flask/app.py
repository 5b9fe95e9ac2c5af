import os
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class Item(db.Model):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    # The new column. The server default fills it in on the rows the table already holds.
    price: Mapped[int] = mapped_column(server_default="0")


def list_items() -> list[dict[str, Any]]:
    items = db.session.scalars(db.select(Item).order_by(Item.id))
    return [{"name": item.name, "price": item.price} for item in items]


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)
    # Adds `flask db init|migrate|upgrade|downgrade`, which drive Alembic with this app's models.
    migrate.init_app(app, db)
    app.add_url_rule("/items", view_func=list_items)
    return app
