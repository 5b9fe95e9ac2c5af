import os

import django
from django.apps import AppConfig
from django.conf import settings


class ItemsConfig(AppConfig):
    # This module doubles as the Django app that owns the Item model.
    name = __name__
    label = "items"


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
    # An app in a package keeps its migrations in <app>/migrations; a one-file app names
    # the package that holds them.
    MIGRATION_MODULES={"items": "items_migrations"},
)
django.setup()

from django.core.wsgi import get_wsgi_application
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.urls import path


class Item(models.Model):
    name = models.CharField(max_length=200)
    # The new column; makemigrations writes the AddField, and the default fills old rows.
    price = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "items"


def list_items(request: HttpRequest) -> JsonResponse:
    return JsonResponse(list(Item.objects.order_by("id").values("name", "price")), safe=False)


urlpatterns = [path("items", list_items)]
app = get_wsgi_application()
