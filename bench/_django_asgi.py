"""The web application as it was served before decision 0013, for comparison in the same run:
Django's own ASGI handler for HTTP (every synchronous view and middleware through
sync_to_async) and `/healthz` through the whole middleware stack."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config.lifespan import lifespan  # noqa: E402
from config.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": websocket_application, "lifespan": lifespan}
)
