from pydantic import BaseModel, Field, ValidationError
from quart import Quart
from quart_schema import (
    QuartSchema,
    RequestSchemaValidationError,
    validate_querystring,
    validate_response,
)

app = Quart(__name__)
QuartSchema(app, info={"title": "Items", "version": "1.0.0"})


class Item(BaseModel):
    id: int
    name: str


class ItemPage(BaseModel):
    items: list[Item]
    total: int
    limit: int
    offset: int


class Paging(BaseModel):
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0)


# Stands in for a table.
ITEMS = [Item(id=n, name=f"item {n}") for n in range(1, 26)]


# Quart-Schema checks the query string against Paging, checks the result against ItemPage,
# and publishes both at /openapi.json.
@app.get("/items")
@validate_querystring(Paging)
@validate_response(ItemPage)
async def list_items(query_args: Paging) -> ItemPage:
    page = ITEMS[query_args.offset : query_args.offset + query_args.limit]
    return ItemPage(items=page, total=len(ITEMS), limit=query_args.limit, offset=query_args.offset)


# Quart-Schema answers a bad query string with a bare 400; name each field at fault, with 422,
# in the shape FastAPI uses.
@app.errorhandler(RequestSchemaValidationError)
async def invalid_query(error: RequestSchemaValidationError) -> tuple[dict, int]:
    problem = error.validation_error
    if not isinstance(problem, ValidationError):
        return {"detail": [{"loc": ["query"], "msg": str(problem)}]}, 422
    found = problem.errors(include_url=False, include_context=False, include_input=False)
    return {"detail": [{**item, "loc": ["query", *item["loc"]]} for item in found]}, 422
