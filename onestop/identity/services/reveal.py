"""Showing a person's identifier in full (解密查看): the one read that writes.

A reveal passes four gates, in this order:

1. **Reach and role.** The person must be within the actor's reach (`access_person`, 404
   otherwise) and the actor's role must allow revealing that field (`identity.policies`).
2. **Rate.** Each actor may try `ONESTOP_REVEAL_MAX_PER_HOUR` reveals an hour and
   `ONESTOP_REVEAL_MAX_PER_DAY` a day, refused ones included; past that, 429 with
   `Retry-After` until the oldest counted attempt ages out. Counting the audit log itself
   means the limit can never disagree with the record.
3. **Purpose.** A purpose the platform can check must vouch for it (`identity.hooks`):
   the person's own record, or one a higher app registered (the person's ticket is at the
   clerk's window). Without one the reveal is refused (403 reveal_purpose_missing) and the
   refusal is audited (`person.reveal_refused`): a stream of them is what a bulk read looks
   like.
4. **Record.** The audit entry (field, mask, purpose, reason) and the decryption share a
   transaction: a value that cannot be read leaves no entry, and no value leaves without one.

**Alarm.** When an actor reaches a rate limit, or `ONESTOP_REVEAL_ALARM_REFUSALS` refusals
for want of a purpose within an hour, the platform writes a `person.reveal_alarm` audit
entry (the audit viewer shows it to data stewards and platform admins) and queues an in-app
message to every active platform admin and data steward. Each alarm is raised once per
actor, rule and period, however long the run goes on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor, Role
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, PermissionDenied, ThrottledError
from onestop.core.models import AuditEntry
from onestop.identity import policies
from onestop.identity.enums import AccountKind, ErrorCode, RevealField
from onestop.identity.hooks import Purpose, purpose_find
from onestop.identity.models import Person, User
from onestop.identity.policies import REVEAL_PERMISSION
from onestop.identity.selectors import access_person
from onestop.notifications.enums import Channel, Language
from onestop.notifications.services import outbox_enqueue

REASON_MAX_LENGTH = 500
REVEALED = "person.reveal"
REFUSED = "person.reveal_refused"
ALARM = "person.reveal_alarm"
ALARM_TEMPLATE = "person_reveal_alarm"


@dataclass(frozen=True)
class Revealed:
    """A revealed value and the purpose that allowed it."""

    value: str
    purpose: Purpose


@dataclass(frozen=True)
class _Limit:
    rule: str
    period: timedelta
    limit: int


def _limits() -> list[_Limit]:
    return [
        _Limit("hour", timedelta(hours=1), settings.ONESTOP_REVEAL_MAX_PER_HOUR),
        _Limit("day", timedelta(days=1), settings.ONESTOP_REVEAL_MAX_PER_DAY),
    ]


def _clean_field(field: str) -> str:
    if field not in RevealField.__members__.values():
        raise DomainError(
            ErrorCode.REVEAL_FIELD_UNKNOWN,
            _("Only id_number, phone or social_security_no can be revealed."),
            field=str(field)[:40],
        )
    return field


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(
            ErrorCode.REVEAL_REASON_REQUIRED,
            _("Say why you need to see the full value; the reason is kept in the audit log."),
        )
    return reason[:REASON_MAX_LENGTH]


def _attempts(actor: Actor, since: datetime) -> list[datetime]:
    """The actor's reveal attempts since `since`, newest first."""
    return list(
        AuditEntry.objects.filter(
            actor_id=actor.pk, action__in=[REVEALED, REFUSED], created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )


def _over_limit(actor: Actor, now: datetime) -> tuple[_Limit, int] | None:
    """The limit the actor has reached and the seconds until it lifts, or None."""
    for limit in _limits():
        times = _attempts(actor, now - limit.period)
        if len(times) >= limit.limit:
            lifts_at = times[limit.limit - 1] + limit.period
            return limit, max(1, math.ceil((lifts_at - now).total_seconds()))
    return None


def _alarm_recipients() -> list[User]:
    return list(
        User.objects.filter(is_active=True, kind=AccountKind.STAFF)
        .filter(Q(is_superuser=True) | Q(roles__role__in=[Role.PLATFORM_ADMIN, Role.DATA_STEWARD]))
        .distinct()
        .order_by("pk")
    )


def _alarm(*, actor: Actor, rule: str, period: timedelta, count: int, now: datetime) -> bool:
    """Raise the alarm for this actor and rule, unless it was raised within the period.
    Runs in the caller's transaction. True when a new alarm was raised."""
    raised = AuditEntry.objects.filter(
        actor_id=actor.pk, action=ALARM, created_at__gte=now - period, changes__after__rule=rule
    )
    if raised.exists():
        return False
    entry = audit_record(
        actor=actor,
        action=ALARM,
        obj=actor,
        after={
            "rule": rule,
            "attempts": count,
            "period_hours": int(period.total_seconds()) // 3600,
        },
    )
    when = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    for recipient in _alarm_recipients():
        language = recipient.preferred_language or Language.ZH_HANS
        outbox_enqueue(
            channel=Channel.IN_APP,
            template=ALARM_TEMPLATE,
            context={"account": actor.audit_label, "attempts": count, "when": when},
            language=language if language in Language.values else Language.ZH_HANS,
            user_id=recipient.pk,
            idempotency_key=f"reveal-alarm:{entry.seq}:{recipient.pk}",
        )
    return True


def _rate_limited(limit: _Limit, retry_after: int) -> ThrottledError:
    return ThrottledError(
        ErrorCode.REVEAL_RATE_LIMITED,
        _(
            "You have looked up many full identifiers in a short time. This has been "
            "reported; try again later."
        ),
        retry_after=retry_after,
        rule=limit.rule,
    )


def _no_purpose() -> PermissionDenied:
    return PermissionDenied(
        ErrorCode.REVEAL_PURPOSE_MISSING,
        _(
            "Full identifiers are shown only for a person you are serving: their ticket at "
            "your window, or a case you hold."
        ),
    )


# Writing functions excused from @audited (tests/test_conventions.py), and why.
NOT_AUDITED = {
    "person_reveal_for": "a refusal is recorded in a transaction of its own, which must "
    "survive the refusal it records; a reveal writes person.reveal with the decryption",
    "person_reveal": "the same service as person_reveal_for",
}


def person_reveal_for(*, actor: Actor, person_id: Any, field: str, reason: str) -> Revealed:
    """The plaintext of one protected identifier of a person, and the purpose it was shown
    for. See the module's header for the gates it passes."""
    field = _clean_field(field)
    reason = _clean_reason(reason)
    person: Person = access_person(actor, person_id)
    policies.RULES.require(actor, REVEAL_PERMISSION[field], person.place)
    refusal: DomainError | None = None
    with transaction.atomic():
        # One actor's reveals queue on their account row, so parallel requests cannot
        # slip past the count together.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        now = timezone.now()
        over = _over_limit(actor, now)
        if over is not None:
            limit, retry_after = over
            _alarm(actor=actor, rule=limit.rule, period=limit.period, count=limit.limit, now=now)
            refusal = _rate_limited(limit, retry_after)
        else:
            purpose = purpose_find(actor=actor, person=person, field=field)
            if purpose is None:
                audit_record(
                    actor=actor,
                    action=REFUSED,
                    obj=person,
                    after={"field": field, "masked": getattr(person, f"{field}_masked")},
                    reason=reason,
                )
                refusals = AuditEntry.objects.filter(
                    actor_id=actor.pk, action=REFUSED, created_at__gte=now - timedelta(hours=1)
                ).count()
                if refusals >= settings.ONESTOP_REVEAL_ALARM_REFUSALS:
                    _alarm(
                        actor=actor,
                        rule="refusals",
                        period=timedelta(hours=1),
                        count=refusals,
                        now=now,
                    )
                refusal = _no_purpose()
            else:
                audit_record(
                    actor=actor,
                    action=REVEALED,
                    obj=person,
                    after={
                        "field": field,
                        "masked": getattr(person, f"{field}_masked"),
                        "purpose": purpose.kind,
                        "purpose_ref": purpose.reference,
                    },
                    reason=reason,
                )
                return Revealed(value=pii.reveal(person, field), purpose=purpose)
    # Outside the transaction, so the refusal and any alarm stay on record.
    assert refusal is not None
    raise refusal


def person_reveal(*, actor: Actor, person_id: Any, field: str, reason: str) -> str:
    """The plaintext of one protected identifier of a person (see `person_reveal_for`)."""
    return person_reveal_for(actor=actor, person_id=person_id, field=field, reason=reason).value
