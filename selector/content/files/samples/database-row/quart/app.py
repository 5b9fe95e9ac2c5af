import os

from quart import Quart, request
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ITEMS_DB = os.environ.get("ITEMS_DB", "items.sqlite3")
engine = create_async_engine(f"sqlite+aiosqlite:///{ITEMS_DB}")
Session = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


async def init_db() -> None:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    # Close the pooled connections: they belong to this event loop, and init_db() may run
    # under asyncio.run() before the server starts its own loop.
    await engine.dispose()


app = Quart(__name__)


@app.post("/items")
async def add_item() -> tuple[dict[str, object], int]:
    data = await request.get_json(silent=True)
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        # Quart validates nothing itself: name the bad field, in the shape FastAPI answers.
        return {"detail": [{"loc": ["body", "name"], "msg": "a non-blank string is required"}]}, 422
    async with Session.begin() as session:
        item = Item(name=name)
        session.add(item)
    return {"id": item.id, "name": item.name}, 201


@app.get("/items/<int:item_id>")
async def read_item(item_id: int) -> tuple[dict[str, object], int]:
    async with Session() as session:
        item = await session.get(Item, item_id)
    if item is None:
        return {"detail": "Item not found"}, 404
    return {"id": item.id, "name": item.name}, 200
