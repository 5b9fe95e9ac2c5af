import json
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
)
django.setup()

from django import forms
from django.core.wsgi import get_wsgi_application
from django.db import connection, models
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST


class Item(models.Model):
    name = models.CharField(max_length=200)

    class Meta:
        app_label = "items"


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ("name",)


def init_db() -> None:
    # No migrations folder in a single file, so create the table directly.
    if Item._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(Item)
    # Forked server workers must not inherit this process's open SQLite connection.
    connection.close()


@require_POST
def create_item(request: HttpRequest) -> JsonResponse:
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    form = ItemForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
    item = form.save()
    return JsonResponse({"id": item.pk, "name": item.name}, status=201)


@require_GET
def read_item(request: HttpRequest, item_id: int) -> JsonResponse:
    item = Item.objects.filter(pk=item_id).values("id", "name").first()
    if item is None:
        return JsonResponse({"error": "item not found"}, status=404)
    return JsonResponse(item)


urlpatterns = [path("items", create_item), path("items/<int:item_id>", read_item)]
app = get_wsgi_application()
