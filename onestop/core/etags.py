"""JSON answers with a strong ETag: a client that already holds the body gets 304.

Every public read of the API answers through `etag_response`, so caches and partner apps
can revalidate cheaply instead of downloading the catalog again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def etag_response(
    request: HttpRequest, schema: type[Schema], payload: dict[str, Any]
) -> HttpResponse:
    """`payload` validated by `schema` as JSON with its ETag (a hash of the body)."""
    body = schema.model_validate(payload).model_dump_json().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Clients may keep the answer but must ask again, with If-None-Match, before using it.
    response["Cache-Control"] = "no-cache"
    return response
