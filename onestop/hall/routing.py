"""WebSocket routes of the hall: call boards, window consoles, ticket status."""

from django.urls import path

from onestop.hall import consumers

websocket_urlpatterns: list = [
    path("ws/hall/board/<slug:code>/", consumers.BoardConsumer.as_asgi()),
    path("ws/hall/console/<int:centre_id>/", consumers.ConsoleConsumer.as_asgi()),
    path("ws/hall/t/<str:token>/", consumers.TicketConsumer.as_asgi()),
]
