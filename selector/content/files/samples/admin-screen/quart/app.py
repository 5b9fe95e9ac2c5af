import os
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps

from quart import Quart, ResponseReturnValue, redirect, render_template_string, request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# No fallback: without a password there is no admin screen.
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]
engine = create_async_engine(os.environ["DATABASE_URL"])
Session = async_sessionmaker(engine, expire_on_commit=False)
app = Quart(__name__)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    price: Mapped[int]


# There is no maintained admin for Quart: this page, its form and its guard are the admin.
PAGE = """<h1>Items</h1>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<table>{% for item in items %}<tr><td>{{ item.name }}</td><td>{{ item.price }}</td></tr>
{% endfor %}</table>
<form method="post"><input name="name" required> <input name="price" type="number" min="0">
<button>Add</button></form>"""


def admin_only(view: Callable[[], Awaitable[ResponseReturnValue]]) -> Callable:
    @wraps(view)
    async def guarded() -> ResponseReturnValue:
        auth = request.authorization
        password = auth.password if auth and auth.username == "admin" else None
        if password is None or not secrets.compare_digest(
            password.encode(), ADMIN_PASSWORD.encode()
        ):
            return "log in", 401, {"WWW-Authenticate": 'Basic realm="admin"'}
        return await view()

    return guarded


@app.route("/admin/items", methods=["GET", "POST"])
@admin_only
async def items() -> ResponseReturnValue:
    error = None
    async with Session() as session:
        if request.method == "POST":
            form = await request.form
            name, price = form.get("name", "").strip(), form.get("price", "")
            if name and price.isdigit():
                session.add(Item(name=name, price=int(price)))
                await session.commit()
                return redirect("/admin/items")
            error = "A name and a whole price of 0 or more are needed."
        rows = (await session.scalars(select(Item).order_by(Item.id))).all()
    return await render_template_string(PAGE, items=rows, error=error), 400 if error else 200
