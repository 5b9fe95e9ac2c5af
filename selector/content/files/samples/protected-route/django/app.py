import os
import sys

import django
from django.conf import settings

TEMPLATES_IN_MEMORY = {
    "registration/login.html": """<!doctype html>
<title>Log in</title>
<form method="post">{% csrf_token %}{{ form }}<button type="submit">Log in</button></form>""",
}

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    # Signs the session cookie: set a real secret in production.
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key"),
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
    ],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("USERS_DB", "users.sqlite3"),
        }
    },
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            # LoginView renders registration/login.html; one file has no templates folder.
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES_IN_MEMORY)]
            },
        }
    ],
    LOGIN_REDIRECT_URL="/account",
)
django.setup()

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path


@login_required
def account(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"username": request.user.get_username()})


urlpatterns = [
    path("account", account),
    # settings.LOGIN_URL, where login_required sends visitors, defaults to this path.
    path("accounts/login/", LoginView.as_view()),
]
app = get_wsgi_application()

if __name__ == "__main__":
    # manage.py's commands: python app.py migrate, createsuperuser, runserver
    execute_from_command_line(sys.argv)
