"""The web process's application, for any ASGI server (`onestop serve` runs it under
granian; docs/operations.md): HTTP through Django's WSGI handler on a pool of threads, with
`/healthz` answered before Django (config/http.py), WebSockets through Channels, and the
lifespan that warms the search at start (config/lifespan.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from config.http import Platform, WsgiOnThreads  # noqa: E402
from config.lifespan import lifespan  # noqa: E402
from config.routing import websocket_application  # noqa: E402

application = Platform(
    http=WsgiOnThreads(
        WSGIHandler(),
        threads=settings.ONESTOP_HTTP_THREADS,
        body_limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    ),
    websocket=websocket_application,
    lifespan=lifespan,
)
