import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    # The start of a new project's list; sessions and auth join when a view needs them.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)
django.setup()

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError


class Item(Schema):
    id: int
    name: str


ITEMS = {1: Item(id=1, name="Teapot"), 2: Item(id=2, name="Kettle")}
api = NinjaAPI()


@api.get("/items/{item_id}", response=Item)
def read_item(request: HttpRequest, item_id: int) -> Item:
    if item_id not in ITEMS:
        raise HttpError(404, "Item not found")
    return ITEMS[item_id]


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()
