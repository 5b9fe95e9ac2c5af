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


class Greeting(Schema):
    message: str


api = NinjaAPI()


@api.get("/hello", response=Greeting)
def hello(request: HttpRequest, name: str = "world") -> Greeting:
    return Greeting(message=f"Hello, {name}!")


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()
