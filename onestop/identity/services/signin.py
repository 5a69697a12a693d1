"""Signing in: staff with user name and password; citizens with mobile number and password,
or with a one-time code sent by SMS.

Each function returns the account on success; the page or API then opens the session
(`django.contrib.auth.login`). Every success and failure is audited, never with the
password or the code. Failures are counted for throttling (see `throttle`), and wrong
answers say as little as possible: an unknown account, a wrong password, a switched-off
account and a staff name used on the citizen form all read "bad_credentials".
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.core import pii
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, ThrottledError
from onestop.core.pii import PiiKind
from onestop.identity.enums import STAFF_KINDS, AccountKind, ErrorCode, SignInMethod
from onestop.identity.models import Person, SmsSignInCode, User
from onestop.identity.services.throttle import (
    client_ip,
    failure_record,
    failures_clear,
    signin_lock,
    signin_subject,
    throttled_error,
)
from onestop.identity.values import normalize_phone
from onestop.notifications.enums import Language
from onestop.notifications.services import outbox_enqueue

SMS_CODE_DIGITS = 6
SMS_CODE_MAX_ATTEMPTS = 5
SMS_RESEND_SECONDS = 60


@dataclass(frozen=True)
class SmsCodeRequested:
    """The same answer whether or not the number belongs to an account."""

    expires_in: int
    resend_after: int


def bad_credentials() -> DomainError:
    return DomainError(
        ErrorCode.BAD_CREDENTIALS,
        _("The sign-in details are not right. Check them and try again."),
        status=401,
    )


def _fail(
    *, subject: str, ip: str, method: str, reason: str, user: User | None, shown: dict[str, Any]
) -> None:
    with transaction.atomic():
        failure_record(subject=subject, ip=ip)
        audit_record(
            actor=None,
            action="signin.failed",
            object_type="identity.user",
            object_id=user.pk if user is not None else "",
            # The hash prefix links attempts on one account without naming it.
            after={"method": method, "reason": reason, "account_key": subject[:12], **shown},
        )


def _guard(
    *,
    subject: str,
    ip: str,
    method: str,
    shown: dict[str, Any],
    user: User | None = None,
    account_wide: bool = True,
) -> None:
    lock = signin_lock(
        subject=subject,
        ip=ip,
        user_id=user.pk if user is not None else None,
        account_wide=account_wide,
    )
    if lock is None:
        return
    with transaction.atomic():
        audit_record(
            actor=None,
            action="signin.throttled",
            object_type="identity.user",
            after={
                "method": method,
                "account_key": subject[:12],
                "rule": lock.rule,
                "retry_after": lock.retry_after,
                **shown,
            },
        )
    raise throttled_error(lock.retry_after)


def _succeed(*, user: User, subject: str, method: str) -> User:
    with transaction.atomic():
        failures_clear(subject=subject)
        audit_record(actor=user, action="signin.succeeded", obj=user, after={"method": method})
    return user


def _verify(user: User | None, password: str, kind: AccountKind) -> str:
    """Why the password sign-in fails, or "" when it succeeds."""
    if user is None:
        # Hash anyway, so the answer takes as long as for a real account.
        User().set_password(password)
        return "unknown_account"
    if not user.check_password(password):
        return "bad_password"
    if not user.is_active:
        return "inactive"
    # Hall devices sign in on the staff page, like the staff who set them up.
    if user.kind != kind and not (kind == AccountKind.STAFF and user.kind in STAFF_KINDS):
        return "wrong_kind"
    return ""


def signin_password(*, username: str, password: str, ip: str | None = None) -> User:
    """A staff member signs in with user name and password."""
    address = client_ip(ip)
    username = (username or "").strip()[:150]
    subject = signin_subject(SignInMethod.PASSWORD, AccountKind.STAFF, username.lower())
    shown = {"kind": AccountKind.STAFF.value}
    user = User.objects.filter(username=username).first() if username else None
    _guard(subject=subject, ip=address, method=SignInMethod.PASSWORD, shown=shown, user=user)
    return _check_password(
        user=user,
        password=password,
        kind=AccountKind.STAFF,
        subject=subject,
        ip=address,
        shown=shown,
    )


def _check_password(
    *, user: User | None, password: str, kind: AccountKind, subject: str, ip: str, shown: dict
) -> User:
    reason = _verify(user, password or "", kind)
    if reason:
        _fail(
            subject=subject,
            ip=ip,
            method=SignInMethod.PASSWORD,
            reason=reason,
            user=user,
            shown=shown,
        )
        raise bad_credentials()
    assert user is not None
    return _succeed(user=user, subject=subject, method=SignInMethod.PASSWORD)


def _citizen_account(phone: str) -> User | None:
    index = pii.blind_index(PiiKind.PHONE, phone)
    return (
        User.objects.filter(person__phone_index=index, kind=AccountKind.CITIZEN)
        .select_related("person")
        .first()
    )


def signin_citizen_password(*, phone: str, password: str, ip: str | None = None) -> User:
    """A citizen signs in with their mobile number and password."""
    number = normalize_phone(phone)
    address = client_ip(ip)
    subject = signin_subject(SignInMethod.PASSWORD, "phone", number)
    shown = {"kind": AccountKind.CITIZEN.value, "phone": pii.mask(PiiKind.PHONE, number)}
    user = _citizen_account(number)
    _guard(subject=subject, ip=address, method=SignInMethod.PASSWORD, shown=shown, user=user)
    return _check_password(
        user=user,
        password=password,
        kind=AccountKind.CITIZEN,
        subject=subject,
        ip=address,
        shown=shown,
    )


def _code_hash(phone_index: str, code: str) -> str:
    return salted_hmac(
        "onestop.identity.sms_code", f"{phone_index}:{code}", algorithm="sha256"
    ).hexdigest()


def _language(user: User | None, language: str) -> str:
    for candidate in (getattr(user, "preferred_language", ""), language):
        code = (candidate or "").lower().replace("_", "-")
        if code in Language.values:
            return code
    return Language.ZH_HANS


def _code_limit_error(rule: str, lifts_at: datetime, now: datetime) -> ThrottledError:
    wait = max(1, math.ceil((lifts_at - now).total_seconds()))
    minutes = math.ceil(wait / 60)
    return ThrottledError(
        ErrorCode.SMS_CODE_LIMIT,
        ngettext(
            "Too many codes were asked for. Try again in %(count)d minute.",
            "Too many codes were asked for. Try again in %(count)d minutes.",
            minutes,
        )
        % {"count": minutes},
        retry_after=wait,
        rule=rule,
    )


def _check_code_limits(*, index: str, address: str, now: datetime) -> None:
    """Refuse a code request over one of its caps: one per number a minute, so many per
    number a day (a phone cannot be flooded with texts), and so many per address an hour
    and a day (one place cannot text thousands of numbers). Each is a rolling count of the
    stored code rows, so it lifts by itself; `retry_after` says when."""
    codes = SmsSignInCode.objects.filter(phone_index=index)
    last = codes.order_by("-created_at").first()
    if last is not None and last.created_at > now - timedelta(seconds=SMS_RESEND_SECONDS):
        wait = SMS_RESEND_SECONDS - int((now - last.created_at).total_seconds())
        raise ThrottledError(
            ErrorCode.SMS_CODE_TOO_SOON,
            _("A code was sent less than a minute ago. Wait %(seconds)d seconds.")
            % {"seconds": max(wait, 1)},
            retry_after=max(wait, 1),
        )
    day, hour = timedelta(days=1), timedelta(hours=1)
    limits = [(codes, "phone_day", day, settings.ONESTOP_SMS_CODES_PER_PHONE_PER_DAY)]
    if address:
        by_address = SmsSignInCode.objects.filter(ip=address)
        limits += [
            (by_address, "address_hour", hour, settings.ONESTOP_SMS_CODES_PER_ADDRESS_PER_HOUR),
            (by_address, "address_day", day, settings.ONESTOP_SMS_CODES_PER_ADDRESS_PER_DAY),
        ]
    for rows, rule, period, limit in limits:
        times = list(
            rows.filter(created_at__gt=now - period)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            raise _code_limit_error(rule, times[-1] + period, now)


def signin_sms_code_request(
    *, phone: str, ip: str | None = None, language: str = Language.ZH_HANS
) -> SmsCodeRequested:
    """Send a one-time sign-in code to the number, if it belongs to a citizen's account.

    The answer, the pauses and caps between requests and the stored row are the same for
    any valid number, so the form does not tell who is registered; only the SMS differs.
    """
    number = normalize_phone(phone)
    address = client_ip(ip)
    subject = signin_subject(SignInMethod.SMS_CODE, "phone", number)
    shown = {"phone": pii.mask(PiiKind.PHONE, number)}
    # Wrong codes from this address (for this number, or for many) hold back new codes
    # too; failures elsewhere do not, so nobody can stop the owner's texts by guessing.
    _guard(
        subject=subject,
        ip=address,
        method=SignInMethod.SMS_CODE,
        shown=shown,
        account_wide=False,
    )
    index = pii.blind_index(PiiKind.PHONE, number)
    ttl = settings.ONESTOP_SMS_CODE_TTL_SECONDS
    with transaction.atomic():
        # Two requests for a registered number queue on the person's row, so only one
        # gets past the 60-second check; for unknown numbers nothing is sent either way.
        Person.objects.select_for_update().filter(phone_index=index).first()
        now = timezone.now()
        _check_code_limits(index=index, address=address, now=now)
        code = f"{secrets.randbelow(10**SMS_CODE_DIGITS):0{SMS_CODE_DIGITS}d}"
        row = SmsSignInCode.objects.create(
            phone_index=index,
            code_hash=_code_hash(index, code),
            ip=address,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
        user = _citizen_account(number)
        sent = user is not None and user.is_active
        if sent:
            outbox_enqueue(
                channel="sms",
                template="sms_signin_code",
                context={"code": code, "minutes": max(1, -(-ttl // 60))},
                language=_language(user, language),
                phone=number,
                idempotency_key=f"signin-code:{row.pk}",
            )
        audit_record(
            actor=None,
            action="signin.sms_code_requested",
            obj=row,
            after={**shown, "sent": sent},
        )
    return SmsCodeRequested(expires_in=ttl, resend_after=SMS_RESEND_SECONDS)


def _fold_code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code or "").split())[: SMS_CODE_DIGITS * 2]


def signin_sms_code(*, phone: str, code: str, ip: str | None = None) -> User:
    """A citizen signs in with the code sent to their number. Only the newest code works,
    once, before it expires, and within five tries."""
    number = normalize_phone(phone)
    address = client_ip(ip)
    subject = signin_subject(SignInMethod.SMS_CODE, "phone", number)
    shown = {"kind": AccountKind.CITIZEN.value, "phone": pii.mask(PiiKind.PHONE, number)}
    _guard(
        subject=subject,
        ip=address,
        method=SignInMethod.SMS_CODE,
        shown=shown,
        user=_citizen_account(number),
    )
    index = pii.blind_index(PiiKind.PHONE, number)
    error: DomainError | None = None
    user: User | None = None
    with transaction.atomic():
        row = (
            SmsSignInCode.objects.select_for_update()
            .filter(phone_index=index)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if row is None or row.used_at is not None or row.expires_at <= now:
            reason = "code_expired"
            error = DomainError(
                ErrorCode.SMS_CODE_EXPIRED,
                _("This code has expired or was already used. Ask for a new code."),
            )
        elif row.attempts >= SMS_CODE_MAX_ATTEMPTS:
            reason = "code_attempts_used"
            error = DomainError(
                ErrorCode.SMS_CODE_WRONG,
                _("The code was entered wrongly too many times. Ask for a new code."),
                attempts_left=0,
            )
        elif not constant_time_compare(row.code_hash, _code_hash(index, _fold_code(code))):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = SMS_CODE_MAX_ATTEMPTS - row.attempts
            reason = "code_wrong"
            error = DomainError(
                ErrorCode.SMS_CODE_WRONG,
                _("The code is not right. %(left)d tries left.") % {"left": left},
                attempts_left=left,
            )
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            user = _citizen_account(number)
            reason = "" if user is not None and user.is_active else "unknown_account"
            if reason:
                error = bad_credentials()
        if error is not None:
            _fail(
                subject=subject,
                ip=address,
                method=SignInMethod.SMS_CODE,
                reason=reason,
                user=user,
                shown=shown,
            )
    if error is not None:
        raise error
    assert user is not None
    return _succeed(user=user, subject=subject, method=SignInMethod.SMS_CODE)


def signout(*, user: Any) -> None:
    """Record a sign-out; the page ends the session."""
    if not getattr(user, "is_authenticated", False):
        return
    with transaction.atomic():
        audit_record(actor=user, action="signout", obj=user)
