import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ITEMS_DB = os.environ.get("ITEMS_DB", "items.sqlite3")
engine = create_engine(f"sqlite:///{ITEMS_DB}")


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class ItemIn(BaseModel):
    # Blank names are refused like missing ones: 422, with the field named.
    name: str = Field(min_length=1, pattern=r"\S")


class ItemOut(BaseModel):
    id: int
    name: str


def init_db() -> None:
    Base.metadata.create_all(engine)
    # Close the pooled connection so server workers forked after this do not share it.
    engine.dispose()


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
app = FastAPI()


# response_model turns the returned ORM object into ItemOut by reading its attributes.
@app.post("/items", status_code=201, response_model=ItemOut)
def create_item(data: ItemIn, session: SessionDep) -> Item:
    item = Item(name=data.name)
    session.add(item)
    session.commit()
    return item


@app.get("/items/{item_id}", response_model=ItemOut)
def read_item(item_id: int, session: SessionDep) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item
