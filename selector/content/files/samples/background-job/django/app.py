import json

import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    # Django ships ImmediateBackend (runs each job at once) and DummyBackend (only records
    # them); a queue with separate workers comes from the django-tasks package (e.g. its
    # database backend and db_worker command).
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    # Prints mail to the terminal; point this at SMTP in production.
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
)
django.setup()

from django import forms
from django.core.mail import send_mail
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.tasks import task
from django.urls import path
from django.views.decorators.http import require_POST


@task
def send_report(email: str) -> None:
    send_mail("Your report", "Here is the report you asked for.", "reports@example.com", [email])


class ReportRequest(forms.Form):
    email = forms.EmailField()


@require_POST
def request_report(request: HttpRequest) -> JsonResponse:
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    form = ReportRequest(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
    # Task arguments must be JSON-serialisable: pass the address, not objects.
    result = send_report.enqueue(form.cleaned_data["email"])
    return JsonResponse({"task_id": result.id}, status=202)


urlpatterns = [path("reports", request_report)]
app = get_wsgi_application()
