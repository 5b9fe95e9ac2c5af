import os
from collections.abc import Sequence

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

engine = create_engine(os.environ["DATABASE_URL"])


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    # The new column. The server default fills it in on the rows the table already holds.
    price: Mapped[int] = mapped_column(server_default="0")


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    price: int


app = FastAPI()


@app.get("/items", response_model=list[ItemOut])
def list_items() -> Sequence[Item]:
    with Session(engine) as session:
        return session.scalars(select(Item).order_by(Item.id)).all()
