import os

from quart import Quart
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

engine = create_async_engine(os.environ["DATABASE_URL"])
Session = async_sessionmaker(engine)
app = Quart(__name__)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    # The new column. The server default fills it in on the rows the table already holds.
    price: Mapped[int] = mapped_column(server_default="0")


@app.get("/items")
async def list_items() -> list[dict[str, str | int]]:
    async with Session() as session:
        items = await session.scalars(select(Item).order_by(Item.id))
        return [{"name": item.name, "price": item.price} for item in items]
