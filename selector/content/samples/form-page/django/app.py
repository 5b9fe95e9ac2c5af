import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
)
django.setup()

from django import forms
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import Engine, RequestContext
from django.urls import path
from django.views.decorators.http import require_http_methods

PAGE = Engine().from_string(
    """<!doctype html>
<title>Subscribe</title>
<form method="post">
  {% csrf_token %}
  {{ form }}
  <button type="submit">Subscribe</button>
</form>"""
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email")


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        # Save form.cleaned_data["email"] here; redirecting stops a reload from posting twice.
        return redirect("thanks")
    # RequestContext is what gives {% csrf_token %} its token.
    return HttpResponse(PAGE.render(RequestContext(request, {"form": form})))


def thanks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>Thanks</title><p>Thanks for subscribing!</p>")


urlpatterns = [
    path("subscribe", subscribe),
    path("subscribe/thanks", thanks, name="thanks"),
]
app = get_wsgi_application()
