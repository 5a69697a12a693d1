"""What a server process does once before it takes requests, through the ASGI lifespan
protocol (uvicorn runs it on start, `onestop serve` included; management commands and tests
never do): load the search index and its dictionaries, so the first search after a start
is as fast as the hundredth. `SEARCH_WARM_AT_START=false` skips it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger("onestop.startup")


def warm() -> None:
    from onestop.search.selectors import search_warm

    try:
        report = search_warm()
    except Exception:
        # A database not yet migrated, say: the server starts anyway, and the first
        # search loads what it needs, as it would without warming.
        logger.exception("warming the search failed; the first search will load it")
    else:
        logger.info("search warmed: %d documents in %.1f s", report.documents, report.seconds)
    finally:
        connections.close_all()


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if settings.SEARCH_WARM_AT_START:
                # Off the event loop: the ORM refuses to run in it, and it is synchronous.
                await asyncio.to_thread(warm)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
