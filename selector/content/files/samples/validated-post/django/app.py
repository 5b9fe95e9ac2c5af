from typing import Annotated, Any

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
from ninja import Field, NinjaAPI, Schema, Status
from pydantic import EmailStr


class SignupIn(Schema):
    email: EmailStr  # checked by the email-validator package
    # strict: "3" is refused as well as 3.5, the client must send a JSON integer.
    seats: Annotated[int, Field(ge=1, le=50, strict=True)]


class Signup(SignupIn):
    id: int


api = NinjaAPI()
signups: list[dict[str, Any]] = []  # stands in for a model and its table


@api.post("/signups", response={201: Signup})
def create_signup(request: HttpRequest, data: SignupIn) -> Status:
    signup = {"id": len(signups) + 1, **data.model_dump()}
    signups.append(signup)
    return Status(201, signup)


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()
