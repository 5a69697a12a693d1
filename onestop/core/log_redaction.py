"""Keeping bearer secrets in URLs out of the logs.

A ticket's phone page (`/hall/t/<token>/`), its status API (`/api/v1/hall/status/{token}`),
a visit's rating page and their WebSockets carry a token that is the only key to them:
whoever reads it from a log can follow, withdraw or rate that ticket. Django logs the path
of every 4xx and the server logs every request, so the handler's filter rewrites each path
in a log line before it is written: a path segment captured by a URL parameter named
`token` (or ending in `_token`) becomes `[redacted]`. The URL patterns decide, so a new
page with a token in its URL is covered when its parameter is named that way.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

REDACTED = "[redacted]"
# A path inside a log line: from a slash to a space, a quote or the query string.
_PATH = re.compile(r"(?<![\w.:/])/[^\s\"'?#<>]*")


def _secret_kwargs(kwargs: dict[str, Any]) -> list[str]:
    return [
        str(value)
        for name, value in kwargs.items()
        if (name == "token" or name.endswith("_token")) and value
    ]


@lru_cache(maxsize=1)
def _websocket_resolver(routes: str) -> Any:
    from django.urls import URLResolver
    from django.urls.resolvers import RegexPattern
    from django.utils.module_loading import import_string

    return URLResolver(RegexPattern(r"^/"), import_string(routes))


class RedactTokensFilter(logging.Filter):
    """A handler filter; `websocket_routes` names the WebSocket URL patterns (a dotted
    path), which Django's URL resolver does not know."""

    def __init__(self, websocket_routes: str = "") -> None:
        super().__init__()
        self.websocket_routes = websocket_routes

    def _secrets(self, path: str) -> list[str]:
        from django.urls import Resolver404, resolve

        try:
            return _secret_kwargs(resolve(path).kwargs)
        except Resolver404:
            pass
        if self.websocket_routes:
            try:
                return _secret_kwargs(_websocket_resolver(self.websocket_routes).resolve(path)[2])
            except Resolver404:
                pass
        return []

    def redact(self, text: str) -> str:
        if "/" not in text:
            return text

        def one(match: re.Match[str]) -> str:
            path = match.group(0)
            try:
                secrets = self._secrets(path)
            except Exception:
                # Logging must never fail; an unresolvable line is written as it is.
                return path
            for secret in secrets:
                path = path.replace(secret, REDACTED)
            return path

        return _PATH.sub(one, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                self.redact(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                key: self.redact(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True
