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

ITEMS = {1: {"id": 1, "name": "Teapot"}, 2: {"id": 2, "name": "Kettle"}}


@require_GET
def read_item(request: HttpRequest, item_id: int) -> JsonResponse:
    item = ITEMS.get(item_id)
    if item is None:
        return JsonResponse({"error": "item not found"}, status=404)
    return JsonResponse(item)


urlpatterns = [path("items/<int:item_id>", read_item)]
app = get_wsgi_application()
