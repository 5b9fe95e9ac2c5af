import os
import secrets

from flask import Flask, Response, request
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    price: Mapped[int]


class ItemView(ModelView):
    column_searchable_list = ("name",)

    # Flask-Admin lets everyone in; every view must say who may use it.
    def is_accessible(self) -> bool:
        auth = request.authorization
        password = auth.password if auth and auth.username == "admin" else None
        return password is not None and secrets.compare_digest(
            password.encode(), os.environ["ADMIN_PASSWORD"].encode()
        )

    def inaccessible_callback(self, name: str, **kwargs: object) -> Response:
        return Response("log in", 401, {"WWW-Authenticate": 'Basic realm="admin"'})


def create_app() -> Flask:
    app = Flask(__name__)
    # No fallbacks: the admin's flash messages ride in the signed session cookie.
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)
    admin = Admin(app, name="Shop")
    admin.add_view(ItemView(Item, db))
    return app
