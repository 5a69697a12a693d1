"""Sign-in pages and sign-out. Each parses a form, calls one service
and renders; a refused attempt shows the service's message and answers with its status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from onestop.core import pii
from onestop.core.errors import DomainError
from onestop.core.pii import PiiKind
from onestop.identity import services
from onestop.identity.forms import (
    CitizenSignInForm,
    SmsCodeRequestForm,
    SmsSignInForm,
    StaffSignInForm,
)
from onestop.identity.models import User

SESSION_BACKEND = "onestop.identity.auth_backends.StaffPasswordBackend"
# The number a code was sent to, so the next page can fill it in.
SMS_PHONE_SESSION_KEY = "identity_sms_phone"


def _safe_next(request: HttpRequest) -> str:
    """The `next` parameter when it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request: HttpRequest) -> str:
    return _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _refused(exc: DomainError) -> tuple[str, int, dict[str, str]]:
    """The message, status and headers of a refused attempt: a throttled one says when to
    come back (Retry-After), for browsers, scripts and proxies alike."""
    headers = {}
    retry_after = exc.params.get("retry_after")
    if exc.status == 429 and retry_after:
        headers["Retry-After"] = str(int(retry_after))
    return exc.message, exc.status, headers


def _render(
    request: HttpRequest, template: str, page: dict[str, Any], status: int, headers: dict
) -> HttpResponse:
    response = render(request, template, page, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _sign_in_page(
    request: HttpRequest,
    *,
    form: Form,
    template: str,
    attempt: Callable[[dict[str, Any]], User],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    error = ""
    status = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                user = attempt(form.cleaned_data)
            except DomainError as exc:
                error, status, headers = _refused(exc)
            else:
                request.session.pop(SMS_PHONE_SESSION_KEY, None)
                # login() gives the session a new key, so a key planted before sign-in
                # is worth nothing after it.
                login(request, user, backend=SESSION_BACKEND)
                return redirect(_next_url(request))
        else:
            status = 422
    page = {"form": form, "error": error, "next": _safe_next(request), **(context or {})}
    return _render(request, template, page, status, headers)


_sign_in_view = [
    sensitive_post_parameters("password", "code"),
    csrf_protect,
    never_cache,
    require_http_methods(["GET", "POST"]),
]


def _decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    for decorator in reversed(_sign_in_view):
        view = decorator(view)
    return view


@_decorate
def staff_login(request: HttpRequest) -> HttpResponse:
    return _sign_in_page(
        request,
        form=StaffSignInForm(request.POST or None),
        template="identity/login.html",
        attempt=lambda data: services.signin_password(
            username=data["username"], password=data["password"]
        ),
    )


@_decorate
def citizen_login(request: HttpRequest) -> HttpResponse:
    return _sign_in_page(
        request,
        form=CitizenSignInForm(request.POST or None),
        template="identity/citizen_login.html",
        attempt=lambda data: services.signin_citizen_password(
            phone=data["phone"], password=data["password"]
        ),
    )


@_decorate
def citizen_sms_request(request: HttpRequest) -> HttpResponse:
    form = SmsCodeRequestForm(request.POST or None)
    error = ""
    status = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                sent = services.signin_sms_code_request(phone=phone, language=get_language() or "")
            except DomainError as exc:
                error, status, headers = _refused(exc)
            else:
                # Sealed, like every stored phone number: sessions live in the database.
                request.session[SMS_PHONE_SESSION_KEY] = pii.encrypt(PiiKind.PHONE, phone)
                messages.info(
                    request,
                    _(
                        "If this number belongs to an account, a code is on its way. "
                        "It can be used once, within %(minutes)d minutes."
                    )
                    % {"minutes": max(1, sent.expires_in // 60)},
                )
                target = resolve_url("identity:citizen_sms_login")
                next_url = _safe_next(request)
                return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        else:
            status = 422
    page = {"form": form, "error": error, "next": _safe_next(request)}
    return _render(request, "identity/citizen_sms_request.html", page, status, headers)


@_decorate
def citizen_sms_login(request: HttpRequest) -> HttpResponse:
    initial = {"phone": _sms_phone(request)}
    return _sign_in_page(
        request,
        form=SmsSignInForm(request.POST or None, initial=initial),
        template="identity/citizen_sms_login.html",
        attempt=lambda data: services.signin_sms_code(phone=data["phone"], code=data["code"]),
    )


def _sms_phone(request: HttpRequest) -> str:
    sealed = request.session.get(SMS_PHONE_SESSION_KEY, "")
    try:
        return pii.decrypt(PiiKind.PHONE, sealed) if sealed else ""
    except (DomainError, ValueError):
        # A key rotated away since: the person types the number again.
        return ""


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.signout(user=request.user)
    logout(request)
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
