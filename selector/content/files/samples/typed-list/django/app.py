import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
)
django.setup()

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.urls import path
from ninja import Field, NinjaAPI, Query, Schema


class Item(Schema):
    id: int
    name: str


class ItemPage(Schema):
    items: list[Item]
    total: int
    limit: int
    offset: int


class Paging(Schema):
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0)


# Stands in for a table.
ITEMS = [Item(id=n, name=f"item {n}") for n in range(1, 26)]

api = NinjaAPI(title="Items", version="1.0.0")


# Django Ninja checks the query string against Paging (422 when it does not hold) and
# publishes its fields as parameters, with ItemPage as the response, at /openapi.json.
@api.get("/items", response=ItemPage)
def list_items(request: HttpRequest, paging: Query[Paging]) -> ItemPage:
    page = ITEMS[paging.offset : paging.offset + paging.limit]
    return ItemPage(items=page, total=len(ITEMS), limit=paging.limit, offset=paging.offset)


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()
