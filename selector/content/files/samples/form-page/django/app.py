import django
from django.conf import settings

TEMPLATES_IN_MEMORY = {
    "subscribe.html": """<!doctype html>
<title>Subscribe</title>
<form method="post">
  {% csrf_token %}
  {{ form }}
  <button type="submit">Subscribe</button>
</form>""",
}

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    # A new project's list, less sessions, auth and messages, which this page does not use.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            # One file has no templates folder, so the page is served from the dict above.
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES_IN_MEMORY)]
            },
        }
    ],
)
django.setup()

from django import forms
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email")


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        # Save form.cleaned_data["email"] here. redirect() would answer 302; 303 makes the
        # browser GET the thanks page, so a reload cannot post the form twice.
        return HttpResponseRedirect(reverse("thanks"), status=303)
    # render() passes the request along, which is what gives {% csrf_token %} its token.
    return render(request, "subscribe.html", {"form": form})


def thanks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>Thanks</title><p>Thanks for subscribing!</p>")


urlpatterns = [
    path("subscribe", subscribe),
    path("thanks", thanks, name="thanks"),
]
app = get_wsgi_application()
