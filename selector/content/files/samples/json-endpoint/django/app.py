import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default): the host names this site answers to.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
)
django.setup()

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def hello(request: HttpRequest) -> JsonResponse:
    name = request.GET.get("name", "world")
    return JsonResponse({"message": f"Hello, {name}!"})


urlpatterns = [path("hello", hello)]

app = get_wsgi_application()
