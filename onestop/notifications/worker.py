"""Delivering the outbox: claim due messages, send them, record what happened.

A worker claims a message by a compare-and-set UPDATE that moves it to SENDING with a lease
and counts the attempt; only the worker whose UPDATE changed the row sends it. Sending
happens outside any transaction, so no row lock is held while a gateway is slow. The outcome
is recorded by another compare-and-set on (id, SENDING, attempts): if the lease expired and
another worker took the message over meanwhile, the late outcome is dropped.

A worker that dies after the gateway accepted a message but before recording it leaves the
message in SENDING; when the lease expires another worker sends it again with the same
idempotency key, and the gateway drops the duplicate. That is the exactly-once guarantee,
and why every send carries the key. E-mail has no such key: it is at-least-once, with a
stable Message-ID so that mail systems can recognise a repeat.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from onestop.core import pii
from onestop.notifications import templates
from onestop.notifications.backends import (
    DeliveryFailure,
    PermanentFailure,
    SmsBackend,
    TemporaryFailure,
    get_sms_backend,
)
from onestop.notifications.enums import DUE_STATUSES, OUTBOX, Channel, OutboxStatus
from onestop.notifications.models import OutboxMessage

logger = logging.getLogger("onestop.notifications.worker")

MAX_BACKOFF_SECONDS = 6 * 3600
MAX_JITTER_SECONDS = 60
_random = secrets.SystemRandom()


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    # Failed this time, another attempt scheduled (status FAILED).
    retrying: int = 0
    dead: int = 0
    # Claimed but handed back unsent because the worker was asked to stop.
    released: int = 0
    # Sent, but another worker had taken the message over by the time the outcome was
    # recorded (this worker's lease expired): its outcome was dropped.
    lost_lease: int = 0


def backoff_delay(
    attempts: int, *, base: float, rand: Callable[[], float] = _random.random
) -> timedelta:
    """`base * 2**(attempts-1)` seconds, capped at six hours, plus up to 10% jitter (at most
    a minute) so that messages that failed together do not all come back together."""
    delay = min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)
    return timedelta(seconds=delay + min(delay * 0.1, MAX_JITTER_SECONDS) * rand())


def _due(now: datetime) -> Any:
    return OutboxMessage.objects.filter(
        Q(status__in=DUE_STATUSES) | Q(status=OutboxStatus.SENDING, lease_until__lte=now),
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "pk")


def _allowed(from_status: str, to: str) -> None:
    """The worker's moves are the outbox's table's (enums.OUTBOX) like everyone's; it moves
    rows in batches by compare-and-set instead of one by one through the machine, so it asks
    the table itself. A move the table leaves out is a programming error."""
    if not OUTBOX.allows(from_status, to):
        raise RuntimeError(f"{OUTBOX.entity}: {from_status} -> {to} is not in the table")


def _as_read(message: OutboxMessage) -> dict[str, Any]:
    return {
        "pk": message.pk,
        "status": message.status,
        "attempts": message.attempts,
        "lease_until": message.lease_until,
    }


def _claim(*, limit: int, now: datetime, report: DeliveryReport) -> list[OutboxMessage]:
    lease_until = now + timedelta(seconds=settings.ONESTOP_OUTBOX_LEASE_SECONDS)
    max_attempts = settings.ONESTOP_OUTBOX_MAX_ATTEMPTS
    claimed: list[OutboxMessage] = []
    if not _due(now).exists():
        # Most polls find nothing: answer those without a transaction, which on SQLite
        # would take the database's write lock.
        return claimed
    with transaction.atomic():
        due = _due(now)
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: workers split the due rows between them instead of queueing on
            # the same ones. The compare-and-set below is what makes a claim safe anyway.
            due = due.select_for_update(skip_locked=True)
        for message in due[:limit]:
            as_read = OutboxMessage.objects.filter(**_as_read(message))
            if message.status == OutboxStatus.SENDING and message.attempts >= max_attempts:
                # The last allowed attempt ended with its worker gone. Not sent again, so a
                # message that kills workers cannot go round for ever; it may have reached
                # the gateway, and a person's retry is then dropped there as a repeat.
                _allowed(message.status, OutboxStatus.DEAD)
                if as_read.update(
                    status=OutboxStatus.DEAD,
                    lease_until=None,
                    last_error=(
                        f"the worker stopped during attempt {message.attempts}, the last "
                        "allowed, before recording its outcome"
                    ),
                ):
                    report.dead += 1
                continue
            _allowed(message.status, OutboxStatus.SENDING)
            if as_read.update(
                status=OutboxStatus.SENDING, lease_until=lease_until, attempts=F("attempts") + 1
            ):
                message.status = OutboxStatus.SENDING
                message.lease_until = lease_until
                message.attempts += 1
                claimed.append(message)
    report.claimed = len(claimed)
    return claimed


def _mine(message: OutboxMessage, to: str) -> Any:
    """The row, if it is still this worker's claim, to move to `to`."""
    _allowed(OutboxStatus.SENDING, to)
    return OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
    )


def _send_email(message: OutboxMessage, rendered: templates.Rendered) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "onestop.invalid"
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
    message_id = f"<outbox.{digest}@{domain}>"
    email = EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email],
        headers={"Message-ID": message_id},
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        kind = PermanentFailure if all(code >= 500 for code in codes) else TemporaryFailure
        raise kind(f"mail server refused the recipient: {codes}") from exc
    except smtplib.SMTPResponseException as exc:
        kind = PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure
        raise kind(f"mail server answered {exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"mail server unreachable ({type(exc).__name__})") from exc
    return message_id


def _send(message: OutboxMessage, sms_backend: Callable[[], SmsBackend]) -> str:
    template = templates.get_template(message.template)
    if template is None:
        raise PermanentFailure(f"the template {message.template!r} no longer exists")
    try:
        rendered = templates.render(template, message.language, message.context)
    except KeyError as exc:
        raise PermanentFailure(f"the template now needs {exc}, which was not given") from exc
    if message.channel == Channel.SMS:
        phone = pii.reveal(message, "recipient_phone")
        return sms_backend().send(str(message.pk), phone, rendered.body, message.idempotency_key)
    if message.channel == Channel.EMAIL:
        return _send_email(message, rendered)
    # In-app: the recipient's inbox lists sent in-app messages; nothing leaves the database.
    return ""


def _record_sent(message: OutboxMessage, gateway_id: str, now: datetime) -> bool:
    return bool(
        _mine(message, OutboxStatus.SENT).update(
            status=OutboxStatus.SENT,
            sent_at=now,
            lease_until=None,
            last_error="",
            gateway_message_id=gateway_id[:100],
            # A one-time code has done its job; it need not sit in the table.
            context=templates.redacted(message.template, message.context),
        )
    )


def _record_failure(
    message: OutboxMessage, error: str, *, permanent: bool, now: datetime
) -> str | None:
    if permanent or message.attempts >= settings.ONESTOP_OUTBOX_MAX_ATTEMPTS:
        status, next_attempt_at = OutboxStatus.DEAD, message.next_attempt_at
    else:
        status = OutboxStatus.FAILED
        next_attempt_at = now + backoff_delay(
            message.attempts, base=settings.ONESTOP_OUTBOX_BACKOFF_SECONDS
        )
    updated = _mine(message, status).update(
        status=status, next_attempt_at=next_attempt_at, lease_until=None, last_error=error[:1000]
    )
    return status if updated else None


def _release(messages: list[OutboxMessage]) -> int:
    released = 0
    for message in messages:
        before = OutboxStatus.PENDING if message.attempts <= 1 else OutboxStatus.FAILED
        released += _mine(message, before).update(
            status=before, lease_until=None, attempts=F("attempts") - 1
        )
    return released


def outbox_deliver_due(
    *,
    limit: int = 100,
    now: datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Deliver up to `limit` due messages, oldest due first. Safe to run in many processes.

    `should_stop` is asked between messages; once it says yes, the rest of the batch is
    handed back unsent for the next worker.
    """

    def clock() -> datetime:
        return now if now is not None else timezone.now()

    report = DeliveryReport()
    claimed = _claim(limit=limit, now=clock(), report=report)
    backend: list[SmsBackend] = []

    def sms_backend() -> SmsBackend:
        if not backend:
            backend.append(get_sms_backend())
        return backend[0]

    for index, message in enumerate(claimed):
        if should_stop is not None and should_stop():
            report.released = _release(claimed[index:])
            break
        try:
            gateway_id = _send(message, sms_backend)
        except DeliveryFailure as exc:
            outcome = _record_failure(
                message, str(exc), permanent=isinstance(exc, PermanentFailure), now=clock()
            )
        except Exception as exc:
            # A bug or a missing setting: keep the message, and say what went wrong.
            logger.exception("outbox message %s: unexpected error", message.pk)
            outcome = _record_failure(
                message, f"{type(exc).__name__}: {exc}", permanent=False, now=clock()
            )
        else:
            outcome = OutboxStatus.SENT if _record_sent(message, gateway_id, clock()) else None
        _count(report, message, outcome)
    return report


def _count(report: DeliveryReport, message: OutboxMessage, outcome: str | None) -> None:
    label = (
        f"outbox message {message.pk} ({message.channel} {message.template} "
        f"to {message.recipient_display})"
    )
    if outcome is None:
        report.lost_lease += 1
        logger.warning("%s: lease taken over by another worker; outcome dropped", label)
    elif outcome == OutboxStatus.SENT:
        report.sent += 1
        logger.info("%s: sent", label)
    elif outcome == OutboxStatus.FAILED:
        report.retrying += 1
        logger.warning("%s: attempt %s failed, will retry", label, message.attempts)
    else:
        report.dead += 1
        logger.error("%s: dead after %s attempts", label, message.attempts)
