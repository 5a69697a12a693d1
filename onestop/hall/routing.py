"""WebSocket routes of the hall: call boards, window consoles, ticket status."""

websocket_urlpatterns: list = []
