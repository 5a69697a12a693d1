"""Two guards every response passes through: a request body over the limit is refused with
413 before anything parses it, and every response carries a Content-Security-Policy.

The policy is strict: scripts, styles, fonts, frames and connections from this site only;
no inline script, no inline style, no eval, no plugins; no one may frame our pages. Pages
keep their script and CSS in static files (htmx, ECharts and Leaflet are vendored under
static/vendor), so nothing needs an exception. The one page that does is the API's
interactive documentation (ninja's bundled Swagger UI), which sets inline styles and uses
data: images: it gets `'unsafe-inline'` for styles, and nothing else. An installation adds
sources (a map tile server, say) with `ONESTOP_CSP_EXTRA`, e.g.
"img-src https://tiles.example.gov.cn; connect-src https://tiles.example.gov.cn".
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from onestop.core.errors import problem

CSP_HEADER = "Content-Security-Policy"

BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The Swagger UI bundled with django-ninja styles its elements inline.
API_DOCS_POLICY: dict[str, list[str]] = {"style-src": ["'unsafe-inline'"]}
# Django's technical 404 and 500 pages (DEBUG only, never in production) are inline.
DEBUG_ERROR_POLICY: dict[str, list[str]] = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _merge(policy: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, list[str]]:
    merged = {name: list(sources) for name, sources in policy.items()}
    for name, sources in extra.items():
        target = merged.setdefault(name, [])
        target.extend(source for source in sources if source not in target)
    return merged


def parse_policy(text: str) -> dict[str, list[str]]:
    """'img-src a b; connect-src c' as {"img-src": ["a", "b"], "connect-src": ["c"]}."""
    policy: dict[str, list[str]] = {}
    for part in text.split(";"):
        words = part.split()
        if words:
            policy.setdefault(words[0].lower(), []).extend(words[1:])
    return policy


def _websocket_sources(request: HttpRequest) -> list[str]:
    # 'self' covers ws: and wss: of this host in CSP Level 3; older kiosk browsers need
    # them spelled out.
    host = request.get_host()
    return [f"ws://{host}", f"wss://{host}"] if host else []


def content_security_policy(request: HttpRequest, response: HttpResponse | None = None) -> str:
    policy = _merge(BASE_POLICY, {"connect-src": _websocket_sources(request)})
    policy = _merge(policy, parse_policy(getattr(settings, "ONESTOP_CSP_EXTRA", "") or ""))
    if _is_api_docs(request.path):
        policy = _merge(policy, API_DOCS_POLICY)
    if settings.DEBUG and response is not None and response.status_code in (404, 500):
        policy = _merge(policy, DEBUG_ERROR_POLICY)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _is_api_docs(path: str) -> bool:
    try:
        return path == reverse("api:openapi-view")
    except NoReverseMatch:
        return False


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = content_security_policy(request, response)
        return response


def request_too_large(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = problem(status=413, code="request_too_large", title="The request body is too large.")
        return HttpResponse(json.dumps(body), status=413, content_type="application/problem+json")
    return HttpResponse(
        _("The request is too large."), status=413, content_type="text/plain; charset=utf-8"
    )


class RequestLimitsMiddleware:
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, checked before the session, CSRF or
    a view reads it (they would fail with a 400 or an error page). The platform takes no
    file uploads, so every body is held to that limit; Django measures the body itself when
    Content-Length is missing or understated."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            try:
                request.body  # noqa: B018 - reading it is the check
            except RequestDataTooBig:
                return request_too_large(request)
        return self.get_response(request)
