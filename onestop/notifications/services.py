"""Writes to the outbox.

`outbox_enqueue` is how every other app sends a notification: inside its own transaction,
so the message exists if and only if the change it tells about committed. Delivery is the
worker's (`onestop.notifications.worker`, re-exported here).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.pii import PiiKind
from onestop.core.service import audited
from onestop.notifications import templates
from onestop.notifications.enums import (
    OUTBOX,
    Channel,
    ErrorCode,
    Language,
    OutboxStatus,
)
from onestop.notifications.models import OutboxMessage
from onestop.notifications.policies import RULES, Perm
from onestop.notifications.selectors import inbox_list
from onestop.notifications.worker import DeliveryReport, outbox_deliver_due

__all__ = [
    "DeliveryReport",
    "in_app_mark_read",
    "normalise_phone",
    "outbox_deliver_due",
    "outbox_enqueue",
    "outbox_purge",
    "outbox_retry",
]

_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
# What a plaintext personal identifier looks like inside a context value.
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_RESIDENT_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def normalise_phone(phone: str) -> str:
    """A mainland mobile number as 11 digits; spaces, dashes and a +86 prefix are dropped."""
    digits = re.sub(r"[\s\-()]", "", phone)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not _MAINLAND_MOBILE.fullmatch(digits):
        raise DomainError(ErrorCode.INVALID_PHONE, "This is not a mainland mobile number.")
    return digits


def _text_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _text_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _text_values(item)]
    return [str(value)]


def _check_context(context: dict[str, Any]) -> dict[str, Any]:
    try:
        # Stored as JSON and rendered from what was stored, so it must survive the trip.
        stored = json.loads(json.dumps(context))
    except (TypeError, ValueError) as exc:
        raise DomainError(
            ErrorCode.CONTEXT_NOT_JSON,
            "The context holds values that are not JSON (pass dates and times as text).",
        ) from exc
    for text in _text_values(stored):
        if _PHONE_IN_TEXT.search(text) or _RESIDENT_ID_IN_TEXT.search(text):
            raise DomainError(
                ErrorCode.PERSONAL_DATA_IN_CONTEXT,
                "The context holds what looks like a phone or ID number; pass masked values.",
            )
    return stored


def _recipient(
    channel: str, phone: str | None, email: str | None, user_id: int | None
) -> dict[str, Any]:
    """The recipient columns for the channel; addresses the channel does not use are not
    stored."""
    if channel == Channel.SMS:
        if not phone:
            raise DomainError(ErrorCode.MISSING_RECIPIENT, "An SMS needs a phone number.")
        return {"phone": normalise_phone(phone)}
    if channel == Channel.EMAIL:
        if not email:
            raise DomainError(ErrorCode.MISSING_RECIPIENT, "An e-mail needs an address.")
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(ErrorCode.INVALID_EMAIL, "This is not an e-mail address.") from exc
        return {"email": email}
    if user_id is None:
        raise DomainError(ErrorCode.MISSING_RECIPIENT, "An in-app message needs a user.")
    return {}


def _same_message(
    message: OutboxMessage,
    channel: str,
    template: str,
    recipient: dict[str, Any],
    user_id: int | None,
) -> bool:
    if (message.channel, message.template) != (channel, template):
        return False
    if channel == Channel.SMS:
        return message.recipient_phone_index == pii.blind_index(PiiKind.PHONE, recipient["phone"])
    if channel == Channel.EMAIL:
        return message.recipient_email == recipient["email"]
    return message.recipient_user_id == user_id


def outbox_enqueue(
    *,
    channel: str,
    template: str,
    context: dict,
    language: str = "zh-hans",
    phone: str | None = None,
    email: str | None = None,
    user_id: int | None = None,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Queue one notification, in the caller's transaction.

    The template is rendered now, so a missing variable fails the caller's request, not a
    delivery hours later. With an `idempotency_key` already used, the message queued then is
    returned and nothing new is written; reusing a key for a different message is a
    conflict. `context` must hold masked or non-personal values only.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction of its change")
    if channel not in Channel.values:
        raise DomainError(ErrorCode.UNKNOWN_CHANNEL, "Unknown channel.", channel=channel)
    language = language.lower().replace("_", "-")
    if language not in Language.values:
        raise DomainError(ErrorCode.UNKNOWN_LANGUAGE, "Unknown language.", language=language)
    message_template = templates.get_template(template)
    if message_template is None:
        raise DomainError(ErrorCode.UNKNOWN_TEMPLATE, "Unknown template.", template=template)
    recipient = _recipient(channel, phone, email, user_id)
    stored_context = _check_context(context)
    missing = templates.missing_variables(message_template, language, stored_context)
    if missing:
        raise DomainError(
            ErrorCode.TEMPLATE_VARIABLE_MISSING,
            f"The template {template!r} needs {', '.join(missing)}.",
            missing=missing,
        )
    templates.render(message_template, language, stored_context)

    key = idempotency_key or f"auto:{uuid.uuid4().hex}"
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is None:
        message = OutboxMessage(
            channel=channel,
            recipient_email=recipient.get("email", ""),
            recipient_user_id=user_id,
            template=template,
            context=stored_context,
            language=language,
            idempotency_key=key,
        )
        pii.assign(message, "recipient_phone", recipient.get("phone"))
        try:
            # A savepoint, so a concurrent insert of the same key leaves the caller's
            # transaction usable and we can return the winner's row.
            with transaction.atomic():
                message.save(force_insert=True)
            return message
        except IntegrityError:
            existing = OutboxMessage.objects.filter(idempotency_key=key).first()
            if existing is None:
                raise
    if not _same_message(existing, channel, template, recipient, user_id):
        raise Conflict(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This idempotency key was used for a different message.",
        )
    return existing


# Writing functions excused from @audited (tests/test_conventions.py), and why.
NOT_AUDITED = {
    "in_app_mark_read": "`read_at` is the record, and it concerns nobody's data but the reader's",
}


@audited("notifications.outbox.retry")
def outbox_retry(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Requeue a dead message for delivery as if new (attempts start again). Audited, with
    how many attempts it had and its last error as the entry's reason."""
    RULES.require(actor, Perm.MANAGE_OUTBOX)
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound(ErrorCode.MESSAGE_NOT_FOUND, "No such outbox message.", id=message_id)
    # The table also lets a worker hand back (SENDING -> PENDING) what it claimed; a person
    # requeues only what was given up on.
    if message.status != OutboxStatus.DEAD:
        raise Conflict(
            ErrorCode.MESSAGE_NOT_DEAD,
            "Only a dead message can be requeued.",
            status_now=message.status,
        )
    gave_up = f"dead after {message.attempts} attempt(s): {message.last_error}"
    return OUTBOX.move(
        message,
        to=OutboxStatus.PENDING,
        action="retry",
        actor=actor,
        fields={
            "attempts": 0,
            "next_attempt_at": timezone.now(),
            "lease_until": None,
            "last_error": "",
        },
        reason=gave_up,
    )


def in_app_mark_read(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Mark one of the actor's in-app messages read. Not audited: `read_at` is the record,
    and it concerns nobody's data but the reader's."""
    with transaction.atomic():
        message = inbox_list(actor=actor).select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound(ErrorCode.MESSAGE_NOT_FOUND, "No such message.", id=message_id)
        if message.read_at is None:
            message.read_at = timezone.now()
            message.save(update_fields=["read_at"])
    return message


@audited("notifications.outbox.purge")
def outbox_purge(*, actor: Actor | None, before: datetime) -> int:
    """Delete sent and dead messages created before `before` (their encrypted numbers go
    with them). Audited with the count; `actor=None` is the purge command. Returns how many
    were deleted."""
    RULES.require(actor, Perm.MANAGE_OUTBOX)
    deleted, _ = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.SENT, OutboxStatus.DEAD], created_at__lt=before
    ).delete()
    audit_record(
        actor=actor,
        action="notifications.outbox.purge",
        object_type=OutboxMessage._meta.label_lower,
        after={"deleted": deleted, "created_before": before.isoformat()},
    )
    return deleted
