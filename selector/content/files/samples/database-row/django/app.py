import os
import sys

import django
from django.apps import AppConfig
from django.conf import settings


class ItemsConfig(AppConfig):
    # This module doubles as the Django app that owns the Item model.
    name = __name__
    label = "items"

    def ready(self) -> None:
        # Its model is defined here, not in a models.py: tell migrate where to find it.
        self.models_module = sys.modules[__name__]


settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    INSTALLED_APPS=[f"{__name__}.ItemsConfig"],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ITEMS_DB", "items.sqlite3"),
        }
    },
    # The start of a new project's list; sessions and auth join when a view needs them.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)
django.setup()

from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.db import models
from django.http import HttpRequest
from django.urls import path
from ninja import Field, ModelSchema, NinjaAPI, Schema, Status
from ninja.errors import HttpError


class Item(models.Model):
    name = models.CharField(max_length=200)

    class Meta:
        app_label = "items"


class ItemIn(Schema):
    # Blank names are refused like missing ones: 422, with the field named.
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")


class ItemOut(ModelSchema):
    class Meta:
        model = Item
        fields = ("id", "name")


api = NinjaAPI()


@api.post("/items", response={201: ItemOut})
def create_item(request: HttpRequest, data: ItemIn) -> Status:
    return Status(201, Item.objects.create(name=data.name))


@api.get("/items/{item_id}", response=ItemOut)
def read_item(request: HttpRequest, item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, "Item not found")
    return item


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()

if __name__ == "__main__":
    # manage.py's commands. With no migrations folder in one file, create the table with
    # python app.py migrate --run-syncdb
    execute_from_command_line(sys.argv)
