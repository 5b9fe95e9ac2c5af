import os
import sys

import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    # Signs the session cookie; a KeyError at start-up rather than a guessable key.
    SECRET_KEY=os.environ["DJANGO_SECRET_KEY"],
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
    # A new project's list, less the messages framework this API does not use.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)
django.setup()

from django.contrib.auth import authenticate, login
from django.core.management import execute_from_command_line
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import Form, NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.security import django_auth

api = NinjaAPI()


@api.post("/login")
def log_in(request: HttpRequest, username: Form[str], password: Form[str]) -> dict[str, str]:
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise HttpError(401, "Wrong username or password")
    login(request, user)  # the session cookie now carries the user
    return {"username": user.get_username()}


# django_auth reads Django's session, and checks the CSRF token on unsafe methods.
@api.get("/account", auth=django_auth)
def account(request: HttpRequest) -> dict[str, str]:
    return {"username": request.user.get_username()}


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Not authenticated"}, status=401)


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()

if __name__ == "__main__":
    # manage.py's commands: python app.py migrate, createsuperuser, runserver
    execute_from_command_line(sys.argv)
