from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel


class Item(BaseModel):
    id: int
    name: str


class ItemPage(BaseModel):
    items: list[Item]
    total: int
    limit: int
    offset: int


# Stands in for a table.
ITEMS = [Item(id=n, name=f"item {n}") for n in range(1, 26)]

app = FastAPI(title="Items", version="1.0.0")


# The signature is the contract: FastAPI checks the query string against it, answers 422
# when it does not hold, and publishes the same limits and the return type at /openapi.json.
@app.get("/items")
def list_items(
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ItemPage:
    page = ITEMS[offset : offset + limit]
    return ItemPage(items=page, total=len(ITEMS), limit=limit, offset=offset)
