from quart import Quart

app = Quart(__name__)

ITEMS: dict[int, dict[str, int | str]] = {
    1: {"id": 1, "name": "Notebook"},
    2: {"id": 2, "name": "Pencil"},
}


@app.get("/items/<int:item_id>")
async def get_item(item_id: int) -> tuple[dict[str, int | str], int]:
    item = ITEMS.get(item_id)
    if item is None:
        return {"error": "item not found"}, 404
    return item, 200
