"""Declaring an operation's error answers in the OpenAPI document.

The API root (config/api_support.py) declares the usual ones from each operation's shape;
an operation names any others it can give, e.g. a throttled one:

    @router.post("/signin/token", auth=None, openapi_extra=problems(429))
"""

from __future__ import annotations

from typing import Any

PROBLEMS_KEY = "x-problems"


def problems(*statuses: int) -> dict[str, Any]:
    """`openapi_extra` for an operation that can also answer these statuses."""
    return {PROBLEMS_KEY: sorted(set(statuses))}
