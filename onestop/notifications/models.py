from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field
from onestop.notifications.enums import DUE_STATUSES, Channel, Language, OutboxStatus


def mask_email(address: str) -> str:
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return f"{local[:1]}***@{domain}"


class OutboxMessage(models.Model):
    """One notification to one recipient: written in the transaction of the change it tells
    about, delivered afterwards by the outbox worker.

    The row is also the record of the notification (no audit entry per message). An in-app
    message is delivered by marking it sent; the recipient's inbox lists sent in-app rows,
    and `read_at` is when they opened it.
    """

    PII_FIELDS = {"recipient_phone": PiiKind.PHONE}

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient_phone_sealed = sealed_field()
    recipient_phone_index = index_field()
    recipient_phone_masked = masked_field("phone")
    # Stored plain: PiiKind has no e-mail kind, and an address is needed in full to send.
    # Rows are purged with the outbox's retention; screens show `mask_email()`.
    recipient_email = models.EmailField(blank=True, default="")
    # A user id, not a foreign key: notifications sits below identity and must not depend
    # on it; the user may also be gone by the time an old message is looked at.
    recipient_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    template = models.CharField(max_length=64)
    # Already-masked or non-personal values only (outbox_enqueue refuses phone and ID numbers).
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, choices=Language.choices)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    gateway_message_id = models.CharField(max_length=100, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        permissions = [("retry_outboxmessage", "Can requeue a dead outbox message")]
        indexes = [
            # Only the rows still to deliver, so the worker's scan stays small as sent rows
            # accumulate.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status__in=[*DUE_STATUSES, OutboxStatus.SENDING]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="outbox_recipient_for_channel",
                condition=(
                    Q(channel=Channel.SMS) & ~Q(recipient_phone_sealed="")
                    | Q(channel=Channel.EMAIL) & ~Q(recipient_email="")
                    | Q(channel=Channel.IN_APP, recipient_user_id__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.template} → {self.recipient_display}"

    @property
    def recipient_display(self) -> str:
        if self.channel == Channel.SMS:
            return self.recipient_phone_masked
        if self.channel == Channel.EMAIL:
            return mask_email(self.recipient_email)
        return f"user #{self.recipient_user_id}"
