from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from onestop.core.errors import Conflict, PermissionDenied
from onestop.core.models import AuditEntry
from onestop.notifications import backends
from onestop.notifications.enums import DUE_STATUSES, OUTBOX, OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.selectors import inbox_list, inbox_unread_count
from onestop.notifications.services import (
    in_app_mark_read,
    outbox_deliver_due,
    outbox_enqueue,
    outbox_retry,
)
from onestop.notifications.tests import factories
from onestop.notifications.worker import backoff_delay

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_an_sms_is_delivered_once_through_the_memory_backend(memory_sms, enqueue_sms):
    # given
    message = enqueue_sms(idempotency_key="signin:1", language="en")

    # when
    report = outbox_deliver_due()
    again = outbox_deliver_due()

    # then
    stored = _reload(message)
    assert (report.claimed, report.sent, again.claimed) == (1, 1, 0)
    assert stored.status == OutboxStatus.SENT
    assert stored.attempts == 1
    assert stored.sent_at is not None
    assert stored.gateway_message_id.startswith("mem-")
    [sms] = memory_sms.memory_outbox
    assert sms.phone == "13812341234"
    assert sms.idempotency_key == "signin:1"
    assert sms.text.startswith("Your sign-in code is 482913.")


def test_a_one_time_code_is_blanked_once_sent(memory_sms, enqueue_sms):
    message = enqueue_sms()
    outbox_deliver_due()
    assert _reload(message).context == {"code": "***", "minutes": 5}


def test_an_email_goes_through_django_mail_with_a_stable_message_id():
    # given
    with transaction.atomic():
        message = outbox_enqueue(
            channel="email",
            template="booking_reminder",
            context={"service": "Passport", "when": "9:30", "centre": "Tianhe"},
            language="en",
            email="citizen@example.com",
            idempotency_key="booking:9",
        )

    # when
    outbox_deliver_due()

    # then
    [email] = mail.outbox
    assert email.to == ["citizen@example.com"]
    assert email.subject == "Appointment reminder"
    assert "Passport" in email.body
    assert email.extra_headers["Message-ID"] == _reload(message).gateway_message_id


def test_an_in_app_message_lands_in_the_inbox_and_can_be_read():
    # given
    user, other = factories.citizen(), factories.citizen()
    message = factories.in_app(user.pk)
    assert list(inbox_list(actor=user)) == []  # not delivered yet

    # when
    outbox_deliver_due()
    in_app_mark_read(actor=user, message_id=message.pk)

    # then
    assert list(inbox_list(actor=user)) == [message]
    assert inbox_unread_count(actor=user) == 0
    assert list(inbox_list(actor=other)) == []
    assert _reload(message).read_at is not None


def test_a_temporary_failure_backs_off_and_the_message_goes_later(
    memory_sms, enqueue_sms, time_machine, settings
):
    # given
    time_machine.move_to(START, tick=False)
    settings.ONESTOP_OUTBOX_BACKOFF_SECONDS = 30
    message = enqueue_sms()
    memory_sms.memory_fail_next(2)

    # when the first two attempts fail
    outbox_deliver_due()
    first = _reload(message)
    outbox_deliver_due()  # not due yet: nothing happens
    time_machine.shift(timedelta(seconds=34))
    outbox_deliver_due()
    second = _reload(message)

    # then
    assert first.status == OutboxStatus.FAILED
    assert first.attempts == 1
    assert first.last_error == "simulated failure"
    assert timedelta(seconds=30) <= first.next_attempt_at - START <= timedelta(seconds=33)
    assert second.attempts == 2
    assert timedelta(seconds=60) <= second.next_attempt_at - timezone.now() <= timedelta(seconds=66)

    # when the gateway is back and the time has come
    time_machine.shift(timedelta(seconds=67))
    outbox_deliver_due()

    # then
    assert _reload(message).status == OutboxStatus.SENT
    assert len(memory_sms.memory_outbox) == 1


def test_backoff_doubles_is_capped_and_its_jitter_is_bounded():
    assert backoff_delay(1, base=30, rand=lambda: 0) == timedelta(seconds=30)
    assert backoff_delay(4, base=30, rand=lambda: 0) == timedelta(seconds=240)
    assert backoff_delay(4, base=30, rand=lambda: 1) == timedelta(seconds=264)
    assert backoff_delay(30, base=30, rand=lambda: 1) == timedelta(hours=6, seconds=60)


def test_a_permanent_failure_is_dead_at_once(memory_sms, enqueue_sms):
    message = enqueue_sms()
    memory_sms.memory_fail_next(1, permanent=True)
    report = outbox_deliver_due()
    assert report.dead == 1
    assert _reload(message).status == OutboxStatus.DEAD
    assert _reload(message).attempts == 1


def test_after_the_last_attempt_the_message_is_dead_and_a_retry_delivers_it(
    memory_sms, enqueue_sms, time_machine, settings, platform_admin
):
    # given
    time_machine.move_to(START, tick=False)
    settings.ONESTOP_OUTBOX_MAX_ATTEMPTS = 3
    message = enqueue_sms()
    memory_sms.memory_fail_next(3)

    # when every attempt fails
    for _ in range(3):
        outbox_deliver_due()
        time_machine.shift(timedelta(hours=7))
    dead = _reload(message)

    # then
    assert (dead.status, dead.attempts) == (OutboxStatus.DEAD, 3)
    assert outbox_deliver_due().claimed == 0

    # when an operator requeues it
    outbox_retry(actor=platform_admin, message_id=message.pk)
    report = outbox_deliver_due()

    # then
    assert report.sent == 1
    assert _reload(message).status == OutboxStatus.SENT
    entry = AuditEntry.objects.get(action="notifications.outbox.retry")
    assert entry.object_id == str(message.pk)
    assert entry.actor_label == "staff:root"
    assert entry.changes["before"] == {"state": OutboxStatus.DEAD}
    assert entry.changes["after"]["status"] == OutboxStatus.PENDING
    assert entry.reason.startswith("dead after 3 attempt(s): ")


@pytest.mark.parametrize("status", [s for s in OutboxStatus.values if s != OutboxStatus.DEAD])
def test_only_a_dead_message_can_be_retried(enqueue_sms, platform_admin, status):
    # given: a message in any other status, including one a worker is sending (which the
    # table lets the worker hand back to pending, but not a person)
    message = enqueue_sms()
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, attempts=1)

    # when
    with pytest.raises(Conflict) as refused:
        outbox_retry(actor=platform_admin, message_id=message.pk)

    # then
    assert refused.value.code == "message_not_dead"
    assert (_reload(message).status, _reload(message).attempts) == (status, 1)
    assert not AuditEntry.objects.filter(action="notifications.outbox.retry").exists()


def test_the_worker_picks_up_exactly_what_the_table_lets_it_claim():
    # The statuses the worker reads as due (besides an expired lease) are those the outbox's
    # table moves to sending, so the worker and the table cannot disagree.
    claimable = {s for s in OutboxStatus.values if OUTBOX.allows(s, OutboxStatus.SENDING)}
    assert set(DUE_STATUSES) == claimable - {OutboxStatus.SENDING}
    assert OUTBOX.final_states == {OutboxStatus.SENT}


def test_a_citizen_may_not_retry(memory_sms, enqueue_sms):
    # given
    citizen = factories.citizen()
    message = enqueue_sms()
    memory_sms.memory_fail_next(1, permanent=True)
    outbox_deliver_due()

    # when / then
    with pytest.raises(PermissionDenied):
        outbox_retry(actor=citizen, message_id=message.pk)
    assert _reload(message).status == OutboxStatus.DEAD


def test_a_message_under_a_live_lease_is_not_claimed_again(memory_sms, enqueue_sms, settings):
    # given a worker that claimed the message and has not finished
    settings.ONESTOP_OUTBOX_LEASE_SECONDS = 60
    message = enqueue_sms()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=1, lease_until=now + timedelta(seconds=60)
    )

    # when
    during = outbox_deliver_due(now=now + timedelta(seconds=59))
    after = outbox_deliver_due(now=now + timedelta(seconds=61))

    # then
    assert during.claimed == 0
    assert after.sent == 1
    assert _reload(message).attempts == 2


def test_a_message_whose_worker_died_every_time_is_dead(memory_sms, enqueue_sms, settings):
    # given
    settings.ONESTOP_OUTBOX_MAX_ATTEMPTS = 3
    message = enqueue_sms()
    past = timezone.now() - timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=3, lease_until=past
    )

    # when
    report = outbox_deliver_due()

    # then
    assert report.dead == 1
    assert _reload(message).status == OutboxStatus.DEAD
    assert memory_sms.memory_calls == []


def test_a_late_outcome_after_another_worker_took_over_is_dropped(
    enqueue_sms, settings, monkeypatch
):
    # given: while this worker is sending, its lease expires and another worker claims it
    message = enqueue_sms()

    class TakenOverBackend:
        def send(self, message_id, phone, text, idempotency_key):
            OutboxMessage.objects.filter(pk=message.pk).update(attempts=2)
            return "late"

    monkeypatch.setitem(backends.BACKENDS, "taken_over", TakenOverBackend)
    settings.ONESTOP_SMS_BACKEND = "taken_over"

    # when
    report = outbox_deliver_due()

    # then
    assert report.lost_lease == 1
    stored = _reload(message)
    assert (stored.status, stored.gateway_message_id) == (OutboxStatus.SENDING, "")


def test_a_worker_told_to_stop_hands_back_what_it_has_not_sent(memory_sms, enqueue_sms):
    # given
    first, second, third = enqueue_sms(), enqueue_sms(), enqueue_sms()
    asked = []

    def stop_after_one() -> bool:
        asked.append(1)
        return len(asked) > 1

    # when
    report = outbox_deliver_due(should_stop=stop_after_one)

    # then
    assert (report.claimed, report.sent, report.released) == (3, 1, 2)
    assert _reload(first).status == OutboxStatus.SENT
    for message in (second, third):
        stored = _reload(message)
        assert (stored.status, stored.attempts, stored.lease_until) == (
            OutboxStatus.PENDING,
            0,
            None,
        )


def test_a_misconfigured_backend_keeps_the_message_for_later(enqueue_sms, settings):
    settings.ONESTOP_SMS_BACKEND = "http"
    settings.ONESTOP_SMS_GATEWAY_URL = ""
    message = enqueue_sms()
    outbox_deliver_due()
    stored = _reload(message)
    assert stored.status == OutboxStatus.FAILED
    assert "ONESTOP_SMS_GATEWAY_URL" in stored.last_error


def test_due_messages_go_oldest_first_up_to_the_limit(memory_sms, enqueue_sms):
    messages = [enqueue_sms() for _ in range(3)]
    report = outbox_deliver_due(limit=2)
    assert report.sent == 2
    assert [_reload(m).status for m in messages] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
    ]
