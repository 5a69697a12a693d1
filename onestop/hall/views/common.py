"""What the hall's views share: the centre a screen works for, and error rendering."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from onestop.hall import pages
from onestop.hall.policies import Perm
from onestop.identity.actors import request_actor

CENTRE_SESSION_KEY = "hall_centre"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def screen_centre(request: HttpRequest, permission: Perm) -> Any:
    """The centre this signed-in screen works for: one where the account holds
    `permission`; `?centre=<code>` picks among several and is remembered. Denied otherwise."""
    centres = pages.centres_where(request_actor(request), permission)
    if not centres:
        raise PermissionDenied
    wanted = request.GET.get("centre") or request.session.get(CENTRE_SESSION_KEY, "")
    chosen = next((c for c in centres if c.code == wanted), centres[0])
    if request.session.get(CENTRE_SESSION_KEY) != chosen.code:
        request.session[CENTRE_SESSION_KEY] = chosen.code
    return chosen


def error_status(request: HttpRequest, status: int) -> int:
    """htmx swaps only successful answers: it gets the page with the message as 200."""
    return 200 if is_htmx(request) else status
