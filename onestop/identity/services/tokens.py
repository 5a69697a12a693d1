"""API tokens for machine clients (and staff scripts), and for citizens signed in through a
partner channel (a city app, a WeChat mini-program) with the code sent to their phone.

A token reads `os_` + an 8-character prefix + a 43-character secret. It is shown once, when
issued; the table keeps its SHA-256 (a token has 256 bits of randomness, so a plain hash is
enough: there is nothing to guess) and the prefix, so people can tell tokens apart.
A revoked token is kept, so that presenting it again is recognised as a replay and logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, NotFound
from onestop.core.service import audited
from onestop.identity import policies
from onestop.identity.enums import AccountKind, ErrorCode
from onestop.identity.models import ApiToken, User
from onestop.identity.policies import Permission
from onestop.identity.services.signin import signin_sms_code
from onestop.identity.values import normalize_name

TOKEN_PREFIX = "os_"  # noqa: S105 - the public marker of our tokens, not a secret
PREFIX_LENGTH = 8
LAST_USED_RESOLUTION = timedelta(minutes=1)
TOKEN_OWNER_KINDS = (AccountKind.STAFF, AccountKind.DEVICE, AccountKind.MACHINE)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _summary(token: ApiToken) -> dict[str, Any]:
    return {
        "user": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": effective_expiry(token).isoformat(),
    }


def _not_found() -> NotFound:
    return NotFound(ErrorCode.TOKEN_NOT_FOUND, _("No such token."))


def _issue(
    *, actor: Actor, user: User, name: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    plaintext = f"{TOKEN_PREFIX}{prefix}{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=token_hash(plaintext), expires_at=expires_at
    )
    audit_record(actor=actor, action="token.issue", obj=token, after=_summary(token))
    return token, plaintext


def _max_lifetime() -> timedelta:
    return timedelta(days=settings.ONESTOP_TOKEN_MAX_DAYS)


def default_lifetime(user: User) -> timedelta:
    """How long a token lasts when the issuer names no expiry: a person's script is
    re-issued often, a machine (a kiosk, a partner system) less so; never past the cap."""
    days = {
        AccountKind.STAFF: settings.ONESTOP_STAFF_TOKEN_DAYS,
        AccountKind.MACHINE: settings.ONESTOP_MACHINE_TOKEN_DAYS,
        AccountKind.CITIZEN: settings.ONESTOP_CITIZEN_TOKEN_DAYS,
    }.get(AccountKind(user.kind), settings.ONESTOP_STAFF_TOKEN_DAYS)
    return min(timedelta(days=days), _max_lifetime())


def _invalid_expiry(message: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_TOKEN_EXPIRY, message, max_days=settings.ONESTOP_TOKEN_MAX_DAYS
    )


def _expiry(user: User, expires_at: datetime | None, now: datetime) -> datetime:
    """The expiry to store: the default for the owner when none is asked for; else the one
    asked for, if it is ahead and within ONESTOP_TOKEN_MAX_DAYS. Measured as a distance
    from now, so any year a client sends is compared, never converted (9999-12-31 at
    UTC-12 is past what a datetime can hold in UTC)."""
    if expires_at is None:
        return now + default_lifetime(user)
    if timezone.is_naive(expires_at):
        raise _invalid_expiry(_("The expiry must be a moment in the future, with its time zone."))
    ahead = expires_at - now
    if ahead <= timedelta(0):
        raise _invalid_expiry(_("The expiry must be a moment in the future, with its time zone."))
    if ahead > _max_lifetime():
        raise _invalid_expiry(
            _("A token may last at most %(days)d days.") % {"days": settings.ONESTOP_TOKEN_MAX_DAYS}
        )
    return expires_at


def effective_expiry(token: ApiToken) -> datetime:
    """When a token stops working: its expiry, but never later than the cap counted from its
    creation (tokens issued before expiries were required have none, or a far one)."""
    cap = token.created_at + _max_lifetime()
    if token.expires_at is None:
        return cap
    return min(token.expires_at, cap)


@audited("token.issue")
def api_token_issue(
    *, actor: Actor, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, and its plaintext, which is never available again. Platform
    admins issue tokens for staff and machine accounts; staff and machines for themselves."""
    policies.RULES.require(actor, Permission.TOKEN_MANAGE, user.place)
    if user.kind not in TOKEN_OWNER_KINDS or not user.is_active:
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _("Tokens are issued to active staff, hall devices and machine accounts only."),
        )
    name = normalize_name(name, max_length=100)
    expiry = _expiry(user, expires_at, timezone.now())
    with transaction.atomic():
        return _issue(actor=actor, user=user, name=name, expires_at=expiry)


def citizen_token_issue(
    *, phone: str, code: str, channel: str, ip: str | None = None
) -> tuple[ApiToken, str]:
    """Sign a citizen in with the SMS code sent to their number (the same checks, throttles
    and audit as the sign-in page) and issue a bearer token named after the channel that
    asked. It expires after ONESTOP_CITIZEN_TOKEN_DAYS, and its owner sees and revokes it
    like any of their tokens; it cannot mint others (tokens are issued to staff and machines
    only)."""
    name = normalize_name(channel, max_length=100)  # before the code is spent
    user = signin_sms_code(phone=phone, code=code, ip=ip)
    expires_at = timezone.now() + default_lifetime(user)
    with transaction.atomic():
        return _issue(actor=user, user=user, name=name, expires_at=expires_at)


def _locked_token(actor: Actor, token_id: int) -> ApiToken:
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=token_id)
        .first()
    )
    # Someone else's token is as absent as a missing one.
    if token is None or not policies.RULES.can(actor, Permission.TOKEN_MANAGE, token.user.place):
        raise _not_found()
    return token


@audited("token.revoke")
def api_token_revoke(*, actor: Actor, token_id: int, reason: str = "") -> ApiToken:
    """Revoke a token at once. Revoking a revoked token changes nothing."""
    with transaction.atomic():
        token = _locked_token(actor, token_id)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="token.revoke",
            obj=token,
            after=_summary(token),
            reason=reason[:500],
        )
    return token


@audited("token.issue", "token.revoke")
def api_token_rotate(*, actor: Actor, token_id: int) -> tuple[ApiToken, str]:
    """Revoke a token and issue its successor (same owner, name and expiry, if that is
    still ahead) in one step, so a client never holds two working tokens for one purpose."""
    with transaction.atomic():
        old = _locked_token(actor, token_id)
        now = timezone.now()
        if old.revoked_at is None:
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="token.revoke", obj=old, after=_summary(old), reason="rotated"
            )
        # The successor keeps the expiry while it is ahead (never past the cap from now);
        # a token already past it starts a default lifetime.
        expiry = effective_expiry(old)
        if expiry > now:
            expires_at = min(expiry, now + _max_lifetime())
        else:
            expires_at = now + default_lifetime(old.user)
        return _issue(actor=actor, user=old.user, name=old.name, expires_at=expires_at)


def _token_error(code: ErrorCode, message: str) -> DomainError:
    return DomainError(code, message, status=401)


def api_token_authenticate(token: str) -> User:
    """The account a presented token stands for; token_invalid, token_revoked (also for a
    replay of a rotated token, which is audited) or token_expired, all 401."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise _token_error(ErrorCode.TOKEN_INVALID, _("The token is not valid."))
    row = ApiToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if row is None:
        raise _token_error(ErrorCode.TOKEN_INVALID, _("The token is not valid."))
    now = timezone.now()
    if row.revoked_at is not None or not row.user.is_active:
        with transaction.atomic():
            audit_record(actor=None, action="token.replayed", obj=row, after=_summary(row))
        raise _token_error(ErrorCode.TOKEN_REVOKED, _("The token was revoked."))
    if effective_expiry(row) <= now:
        raise _token_error(ErrorCode.TOKEN_EXPIRED, _("The token has expired."))
    # One write a minute at most, however busy the client: the row just read says whether
    # one is due, so a busy token costs no write (nor a write statement) per request, and
    # the update is conditional, so clients racing past the minute write once.
    if row.last_used_at is None or row.last_used_at <= now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).exclude(
            last_used_at__gt=now - LAST_USED_RESOLUTION
        ).update(last_used_at=now)
    return row.user
