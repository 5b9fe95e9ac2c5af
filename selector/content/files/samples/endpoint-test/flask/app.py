from flask import Flask, abort

app = Flask(__name__)

ITEMS: dict[int, dict[str, str]] = {
    1: {"name": "teapot", "colour": "blue"},
    2: {"name": "kettle", "colour": "steel"},
}


@app.get("/items/<int:item_id>")
def read_item(item_id: int) -> dict[str, object]:
    if item_id not in ITEMS:
        abort(404, description=f"No item {item_id}")
    return {"id": item_id, **ITEMS[item_id]}
