"""How API callers prove who they are: a bearer token (machine clients, scripts) or the
browser's session. Other apps' routers reuse `api_auth`:

    from onestop.identity.api_auth import api_auth
    router = Router(auth=api_auth)

The authenticated account is `request.auth`, and `request.user` too; operations read it with
`identity.actors.request_actor(request)` or one of its narrowing siblings. A bearer token
that is unknown, revoked or expired is refused with 401 problem+json carrying token_invalid,
token_revoked or token_expired, without falling back to the session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from onestop.core.errors import PermissionDenied
from onestop.identity.actors import as_actor
from onestop.identity.enums import ErrorCode
from onestop.identity.services.tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = as_actor(api_token_authenticate(token.strip()))
        # Pages and services downstream read request.user; make it the token's account.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, for the site's own pages calling the API. A signed-in session must
    pass the CSRF check on unsafe methods; an anonymous one is simply not authenticated,
    so it gets 401, not a CSRF error."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(ErrorCode.CSRF_FAILED, _("The CSRF check failed."))
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


api_auth = [ApiTokenAuth(), SessionAuth()]
