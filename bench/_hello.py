"""The smallest ASGI application: what a server can do with no framework at all, the ceiling
the request-path benchmark compares the platform to."""

from __future__ import annotations

from typing import Any

HEADERS = [(b"content-type", b"text/plain"), (b"content-length", b"5")]


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": b"hello"})
