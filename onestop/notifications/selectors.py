"""Reads of the outbox. Operators' reads (`outbox_message_*`) are for the admin, the worker
and other services; a recipient's reads (`inbox_*`) are scoped to that recipient."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from onestop.core.access import Actor
from onestop.core.errors import NotFound
from onestop.notifications import templates
from onestop.notifications.enums import Channel, ErrorCode, OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.templates import Rendered


def outbox_message_get(*, message_id: int) -> OutboxMessage:
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound(ErrorCode.MESSAGE_NOT_FOUND, "No such outbox message.", id=message_id)
    return message


def outbox_message_get_by_key(*, idempotency_key: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()


def outbox_status_counts() -> dict[str, int]:
    """How many messages are in each status (every status present, zero or not)."""
    counts = dict.fromkeys(OutboxStatus.values, 0)
    rows = OutboxMessage.objects.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def outbox_message_render(*, message: OutboxMessage) -> Rendered:
    """The message's text as it is (or was) delivered; a secret value once sent shows as ***."""
    template = templates.get_template(message.template)
    if template is None:
        raise NotFound(ErrorCode.UNKNOWN_TEMPLATE, "The message's template no longer exists.")
    return templates.render(template, message.language, message.context)


def inbox_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[OutboxMessage]:
    """The actor's delivered in-app messages, newest first."""
    messages = OutboxMessage.objects.filter(
        channel=Channel.IN_APP, recipient_user_id=actor.pk, status=OutboxStatus.SENT
    ).order_by("-created_at", "-pk")
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages


def inbox_unread_count(*, actor: Actor) -> int:
    return inbox_list(actor=actor, unread_only=True).count()
