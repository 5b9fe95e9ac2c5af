from flask import Blueprint, Flask

bp = Blueprint("items", __name__)

ITEMS = {1: {"id": 1, "name": "Teapot"}, 2: {"id": 2, "name": "Kettle"}}


@bp.get("/items/<int:item_id>")
def read_item(item_id: int) -> tuple[dict[str, object], int]:
    if item_id not in ITEMS:
        return {"detail": "Item not found"}, 404
    return ITEMS[item_id], 200


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(bp)
    return app
