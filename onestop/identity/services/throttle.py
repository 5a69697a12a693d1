"""Sign-in throttling that slows guessing without handing anyone a switch to lock others out.

A failure is a row keyed by the hashed account key *and the method* (a citizen's password
and SMS sign-ins count separately, so a run of wrong passwords never blocks the code sent to
their phone) and by the client address. Three counts are read, all within
`ONESTOP_SIGNIN_WINDOW_SECONDS`:

- **The account from this address** (the pair): after `ONESTOP_SIGNIN_MAX_FAILURES` misses
  the next attempt waits `ONESTOP_SIGNIN_DELAY_SECONDS`, and each further miss doubles the
  wait, up to the window. Someone guessing from one place slows to a crawl; someone else's
  guessing from elsewhere costs the owner nothing.
- **The address, over every account**: `ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS` misses stop
  that address until the oldest of them ages out. This is what stops one address trying one
  password on many accounts.
- **The account, over every address**: `ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT` misses
  stop further attempts on that account from addresses it has not signed in from within
  `ONESTOP_SIGNIN_KNOWN_ADDRESS_DAYS`. Guessing spread over many addresses stops, while the
  owner at their usual counter or home keeps their own (pair) allowance.

A throttled attempt is refused before the password is checked and is not itself counted, so
a lock lifts on schedule however often it is knocked on; its `retry_after` is the moment the
count that stopped it falls back under its limit. Account keys are stored as keyed hashes
(a table of failed phone numbers would be a list of phone numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from onestop.core import context
from onestop.core.errors import ThrottledError
from onestop.core.models import AuditEntry
from onestop.identity.enums import ErrorCode
from onestop.identity.models import SignInFailure


def signin_subject(method: str, kind: str, key: str) -> str:
    """The hashed key of an account for one sign-in method, e.g. ("password", "staff",
    "clerk"): each method keeps its own count."""
    return salted_hmac(
        "onestop.identity.signin", f"{method}:{kind}:{key}", algorithm="sha256"
    ).hexdigest()


def client_ip(ip: str | None = None) -> str:
    return (ip if ip is not None else context.client_ip.get()) or ""


def _window() -> timedelta:
    return timedelta(seconds=settings.ONESTOP_SIGNIN_WINDOW_SECONDS)


def _recent() -> QuerySet[SignInFailure]:
    return SignInFailure.objects.filter(at__gte=timezone.now() - _window())


@dataclass(frozen=True)
class Lock:
    """Why an attempt is refused, and for how long."""

    rule: str
    retry_after: int


def _lifts_at(failures: QuerySet[SignInFailure], limit: int) -> datetime | None:
    """When a count at or over `limit` drops back under it: the moment the limit-th newest
    failure ages out of the window. None while under the limit."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + _window()


def _pair_lifts_at(subject: str, ip: str) -> datetime | None:
    limit = settings.ONESTOP_SIGNIN_MAX_FAILURES
    times = list(
        _recent().filter(subject=subject, ip=ip).order_by("-at").values_list("at", flat=True)
    )
    if len(times) < limit:
        return None
    # The first wait after the limit is the base delay; each miss past it doubles it.
    delay = settings.ONESTOP_SIGNIN_DELAY_SECONDS * 2 ** min(len(times) - limit, 20)
    return times[0] + min(timedelta(seconds=delay), _window())


def known_address(*, user_id: int | None, ip: str) -> bool:
    """Whether the account signed in successfully from this address lately (the audit log
    records every sign-in with its address)."""
    if user_id is None or not ip:
        return False
    since = timezone.now() - timedelta(days=settings.ONESTOP_SIGNIN_KNOWN_ADDRESS_DAYS)
    return AuditEntry.objects.filter(
        object_type="identity.user",
        object_id=str(user_id),
        action="signin.succeeded",
        ip=ip,
        created_at__gte=since,
    ).exists()


def signin_lock(
    *, subject: str, ip: str, user_id: int | None = None, account_wide: bool = True
) -> Lock | None:
    """The rule that refuses this attempt now, or None. `user_id` is the account the key
    names, if any (for the known-address exemption); `account_wide=False` skips the
    all-addresses count (card reads key by device or address, not by an account)."""
    now = timezone.now()
    candidates: list[tuple[str, datetime | None]] = []
    if ip:
        candidates.append(("account_address", _pair_lifts_at(subject, ip)))
        candidates.append(
            (
                "address",
                _lifts_at(
                    _recent().filter(ip=ip), settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS
                ),
            )
        )
    else:
        # Without an address (a shell, a test) the pair is the account alone.
        candidates.append(("account_address", _pair_lifts_at(subject, "")))
    if account_wide:
        lifts = _lifts_at(
            _recent().filter(subject=subject), settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT
        )
        if lifts is not None and not known_address(user_id=user_id, ip=ip):
            candidates.append(("account", lifts))
    waits = [(rule, at) for rule, at in candidates if at is not None and at > now]
    if not waits:
        return None
    rule, at = max(waits, key=lambda item: item[1])
    return Lock(rule=rule, retry_after=max(1, math.ceil((at - now).total_seconds())))


def throttled_error(retry_after: int) -> ThrottledError:
    if retry_after >= 120:
        minutes = math.ceil(retry_after / 60)
        text = ngettext(
            "Too many failed attempts. Try again in %(count)d minute.",
            "Too many failed attempts. Try again in %(count)d minutes.",
            minutes,
        ) % {"count": minutes}
    else:
        text = ngettext(
            "Too many failed attempts. Try again in %(count)d second.",
            "Too many failed attempts. Try again in %(count)d seconds.",
            retry_after,
        ) % {"count": retry_after}
    return ThrottledError(ErrorCode.SIGNIN_THROTTLED, text, retry_after=retry_after)


def failure_record(*, subject: str, ip: str) -> None:
    SignInFailure.objects.create(subject=subject, ip=ip)


def failures_clear(*, subject: str) -> None:
    """Forget the account's failures, but keep them counting against their address: one
    right password must not wipe out a guessing run from the same place."""
    SignInFailure.objects.filter(subject=subject).update(subject="")


def signin_failures_purge() -> int:
    """Delete failures older than the window: they no longer count. Safe to run at any time."""
    deleted, _rows = SignInFailure.objects.filter(at__lt=timezone.now() - _window()).delete()
    return deleted


__all__ = [
    "Lock",
    "client_ip",
    "failure_record",
    "failures_clear",
    "known_address",
    "signin_failures_purge",
    "signin_lock",
    "signin_subject",
    "throttled_error",
]
