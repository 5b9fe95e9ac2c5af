import os

import django
from django.apps import AppConfig
from django.conf import settings


class ItemsConfig(AppConfig):
    # This module doubles as the Django app that owns the Item model.
    name = __name__
    label = "items"


settings.configure(
    # No fallback: the admin's session cookies are signed with this key.
    SECRET_KEY=os.environ["SECRET_KEY"],
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        f"{__name__}.ItemsConfig",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ITEMS_DB", "items.sqlite3"),
        }
    },
    STATIC_URL="static/",
)
django.setup()

from django.contrib import admin
from django.core.wsgi import get_wsgi_application
from django.db import models
from django.urls import path


class Item(models.Model):
    name = models.CharField(max_length=200)
    price = models.PositiveIntegerField()

    class Meta:
        app_label = "items"

    def __str__(self) -> str:
        return self.name


# The whole admin screen: list, search, add, change and delete, for staff users only.
@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("name", "price")
    search_fields = ("name",)


urlpatterns = [path("admin/", admin.site.urls)]
app = get_wsgi_application()
