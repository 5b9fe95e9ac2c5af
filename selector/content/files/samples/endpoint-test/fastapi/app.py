from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel


class Item(BaseModel):
    id: int
    name: str


def get_items() -> dict[int, Item]:
    # Stands in for a database session or a client of another service; tests swap it.
    return {1: Item(id=1, name="Teapot"), 2: Item(id=2, name="Kettle")}


app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int, items: Annotated[dict[int, Item], Depends(get_items)]) -> Item:
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
