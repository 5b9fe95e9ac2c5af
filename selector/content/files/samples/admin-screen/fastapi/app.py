import os
import secrets

from fastapi import FastAPI, Request
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# No fallbacks: the admin's session cookie is signed with SECRET_KEY.
SECRET_KEY = os.environ["SECRET_KEY"]
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]
engine = create_engine(os.environ["DATABASE_URL"])


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    price: Mapped[int]


class ItemAdmin(ModelView, model=Item):
    column_list = (Item.id, Item.name, Item.price)
    column_searchable_list = (Item.name,)


# SQLAdmin asks this backend at every admin request; it keeps who logged in in the session.
class AdminLogin(AuthenticationBackend):
    async def login(self, request: Request) -> bool:
        form = await request.form()
        password = str(form.get("password", ""))
        if form.get("username") != "admin" or not secrets.compare_digest(
            password.encode(), ADMIN_PASSWORD.encode()
        ):
            return False
        request.session["admin"] = True
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        return request.session.get("admin", False)


app = FastAPI()
admin = Admin(app, engine, authentication_backend=AdminLogin(secret_key=SECRET_KEY))
admin.add_view(ItemAdmin)
