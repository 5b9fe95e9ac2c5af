from typing import Any

from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import UnprocessableEntity


class ItemSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ItemPageSchema(Schema):
    items = fields.List(fields.Nested(ItemSchema), required=True)
    total = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class PagingSchema(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


# Stands in for a table.
ITEMS = [{"id": n, "name": f"item {n}"} for n in range(1, 26)]

items = Blueprint("items", __name__)


# The decorators are the contract: flask-smorest checks the query string with PagingSchema
# (422 when it does not hold), dumps the result with ItemPageSchema, and publishes both.
@items.get("/items")
@items.arguments(PagingSchema, location="query", as_kwargs=True)
@items.response(200, ItemPageSchema)
def list_items(limit: int, offset: int) -> dict[str, Any]:
    page = ITEMS[offset : offset + limit]
    return {"items": page, "total": len(ITEMS), "limit": limit, "offset": offset}


def invalid_query(error: UnprocessableEntity) -> tuple[dict[str, Any], int]:
    """flask-smorest's 422 names each field under its location; answer in the shape FastAPI
    uses, one entry per problem, so a client reads every framework's refusals alike."""
    messages = getattr(error, "data", {}).get("messages", {})
    problems = [
        {"loc": [location, field], "msg": message}
        for location, fields_at in messages.items()
        for field, found in fields_at.items()
        for message in found
    ]
    return {"detail": problems}, 422


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        API_TITLE="Items",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.1.0",
        # Publishes the document at /openapi.json.
        OPENAPI_URL_PREFIX="/",
    )
    Api(app).register_blueprint(items)
    app.register_error_handler(UnprocessableEntity, invalid_query)
    return app
