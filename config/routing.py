"""WebSocket routes. Each app that pushes live updates adds its consumers here."""

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from onestop.hall.routing import websocket_urlpatterns as hall_websockets

websocket_urlpatterns: list = [*hall_websockets]

websocket_application = AllowedHostsOriginValidator(
    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
)
