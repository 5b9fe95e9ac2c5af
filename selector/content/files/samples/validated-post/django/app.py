import json
from typing import Any

import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
)
django.setup()

from django import forms
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST


class SignupForm(forms.Form):
    email = forms.EmailField()
    seats = forms.IntegerField(min_value=1, max_value=50)


signups: list[dict[str, Any]] = []


@require_POST
def create_signup(request: HttpRequest) -> JsonResponse:
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    # A form validates any dict, so a JSON object can stand in for request.POST.
    form = SignupForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=422)
    signup = {"id": len(signups) + 1, **form.cleaned_data}
    signups.append(signup)
    return JsonResponse(signup, status=201)


urlpatterns = [path("signups", create_signup)]
app = get_wsgi_application()
