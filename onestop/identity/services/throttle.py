"""Sign-in throttling: too many failures for one account, or from one address, within
the window lock further attempts until the oldest of them ages out.

Account keys are stored as keyed hashes (a table of failed phone numbers would be a list
of phone numbers). A throttled attempt is refused before the password is checked, and is
not itself counted, so the lock lifts on schedule however often it is knocked on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from onestop.core import context
from onestop.core.errors import ThrottledError
from onestop.identity.enums import ErrorCode
from onestop.identity.models import SignInFailure


def signin_subject(kind: str, key: str) -> str:
    """The hashed account key of a sign-in attempt, e.g. ("staff", "clerk")."""
    return salted_hmac("onestop.identity.signin", f"{kind}:{key}", algorithm="sha256").hexdigest()


def client_ip(ip: str | None = None) -> str:
    return (ip if ip is not None else context.client_ip.get()) or ""


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.ONESTOP_SIGNIN_WINDOW_SECONDS)


def signin_throttled(*, subject: str, ip: str) -> bool:
    limit = settings.ONESTOP_SIGNIN_MAX_FAILURES
    recent = SignInFailure.objects.filter(at__gte=_window_start())
    if recent.filter(subject=subject).count() >= limit:
        return True
    # Without an address (a shell, a test) there is nothing to count by.
    return bool(ip) and recent.filter(ip=ip).count() >= limit


def throttled_error() -> ThrottledError:
    minutes = max(1, settings.ONESTOP_SIGNIN_WINDOW_SECONDS // 60)
    return ThrottledError(
        ErrorCode.SIGNIN_THROTTLED,
        _("Too many failed attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes},
        retry_after=settings.ONESTOP_SIGNIN_WINDOW_SECONDS,
    )


def failure_record(*, subject: str, ip: str) -> None:
    SignInFailure.objects.create(subject=subject, ip=ip)


def failures_clear(*, subject: str) -> None:
    """Forget the account's failures, but keep them counting against their address: one
    right password must not wipe out a guessing run from the same place."""
    SignInFailure.objects.filter(subject=subject).update(subject="")


def signin_failures_purge() -> int:
    """Delete failures older than the window: they no longer count. Safe to run at any time."""
    deleted, _rows = SignInFailure.objects.filter(at__lt=_window_start()).delete()
    return deleted
