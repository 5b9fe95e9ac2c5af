from quart import Quart

app = Quart(__name__)

ITEMS = {1: {"id": 1, "name": "Teapot"}, 2: {"id": 2, "name": "Kettle"}}


@app.get("/items/<int:item_id>")
async def read_item(item_id: int) -> tuple[dict[str, object], int]:
    if item_id not in ITEMS:
        return {"detail": "Item not found"}, 404
    return ITEMS[item_id], 200
