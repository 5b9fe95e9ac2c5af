import django
from django.conf import settings

settings.configure(
    ROOT_URLCONF=__name__,
    # Required while DEBUG is off (the default); the origin check below uses it too.
    ALLOWED_HOSTS=["localhost", "127.0.0.1"],
)
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application
from django.urls import URLPattern, path


class EchoConsumer(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.send(text_data=text_data)


urlpatterns: list[URLPattern] = []  # the site's ordinary HTTP views go here

# WebSockets need an ASGI server: daphne app:app (or uvicorn app:app).
app = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        # Browsers let any site open a WebSocket to you; refuse other origins.
        "websocket": AllowedHostsOriginValidator(URLRouter([path("echo", EchoConsumer.as_asgi())])),
    }
)
