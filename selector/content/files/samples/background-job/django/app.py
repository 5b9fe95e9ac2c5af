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
    # Django ships ImmediateBackend (runs each job at once) and DummyBackend (only records
    # them); a queue with separate workers comes from the django-tasks package (e.g. its
    # database backend and db_worker command).
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    # Prints mail to the terminal; point this at SMTP in production.
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
)
django.setup()

from django.core.mail import send_mail
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.tasks import task
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from pydantic import EmailStr


@task
def send_report(email: str) -> None:
    send_mail("Your report", "Here is the report you asked for.", "reports@example.com", [email])


class ReportRequest(Schema):
    email: EmailStr


class Accepted(Schema):
    status: str
    email: str


api = NinjaAPI()


@api.post("/reports", response={202: Accepted})
def request_report(request: HttpRequest, data: ReportRequest) -> Status:
    # Task arguments must be JSON-serialisable: pass the address, not objects.
    send_report.enqueue(data.email)
    return Status(202, {"status": "accepted", "email": data.email})


urlpatterns = [path("", api.urls)]
app = get_wsgi_application()
