from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine

if TYPE_CHECKING:
    from onestop.notifications.models import OutboxMessage


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In-app")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # The last attempt failed for a reason that may pass; another attempt is scheduled.
    FAILED = "failed", _("Failed, will retry")
    # Given up on (a permanent refusal, or every attempt used): only a person requeues it.
    DEAD = "dead", _("Dead letter")


# Statuses the worker may pick up (SENDING only once its lease has expired).
DUE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.FAILED)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    OutboxStatus.PENDING: frozenset({OutboxStatus.SENDING}),
    # SENDING -> SENDING is another worker taking over an expired lease; SENDING -> PENDING
    # or FAILED is a worker handing back, unsent, what it claimed when it was told to stop.
    OutboxStatus.SENDING: frozenset(
        {
            OutboxStatus.SENT,
            OutboxStatus.FAILED,
            OutboxStatus.DEAD,
            OutboxStatus.SENDING,
            OutboxStatus.PENDING,
        }
    ),
    OutboxStatus.FAILED: frozenset({OutboxStatus.SENDING}),
    OutboxStatus.SENT: frozenset(),
    OutboxStatus.DEAD: frozenset({OutboxStatus.PENDING}),
}


def outbox_summary(message: OutboxMessage) -> dict[str, Any]:
    """What the audit log keeps of a message: its state, and the masked recipient."""
    return {
        "status": message.status,
        "attempts": message.attempts,
        "recipient": message.recipient_display,
    }


def _describe(message: OutboxMessage) -> str:
    return gettext("Message %(id)s") % {"id": message.pk}


# The outbox's one transition table, asked by everything that moves a message. A person's
# move of one message (requeueing a dead letter) goes through `OUTBOX.move`, which audits it
# as `notifications.outbox.<action>`. The worker moves rows in batches by compare-and-set
# and asks `OUTBOX.allows` before each kind of move: its moves are not audited, because the
# row's status, attempts and last error are the record (decision 0003), and a message has no
# timeline of its own.
OUTBOX: StateMachine[OutboxMessage] = StateMachine(
    entity="notifications.outbox",
    states=OutboxStatus,
    transitions=ALLOWED_TRANSITIONS,
    field="status",
    summary=outbox_summary,
    describe=_describe,
)


class ErrorCode(StrEnum):
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_TEMPLATE = "unknown_template"
    UNKNOWN_LANGUAGE = "unknown_language"
    MISSING_RECIPIENT = "missing_recipient"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    TEMPLATE_VARIABLE_MISSING = "template_variable_missing"
    CONTEXT_NOT_JSON = "context_not_json"
    PERSONAL_DATA_IN_CONTEXT = "personal_data_in_context"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    MESSAGE_NOT_DEAD = "message_not_dead"
    MESSAGE_NOT_FOUND = "message_not_found"
    NOT_ALLOWED = "not_allowed"
