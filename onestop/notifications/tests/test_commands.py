from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestop.core.models import AuditEntry
from onestop.notifications.enums import OutboxStatus
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_worker_once_delivers_everything_due_and_exits(memory_sms, enqueue_sms):
    # given more messages than one batch
    for _ in range(5):
        enqueue_sms()
    out = StringIO()

    # when
    call_command("outbox_worker", "--once", "--limit", "2", stdout=out)

    # then
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert len(memory_sms.memory_outbox) == 5
    assert "outbox worker stopped" in out.getvalue()


def test_purge_deletes_old_finished_messages_only(memory_sms, enqueue_sms):
    # given
    old_sent, old_pending, new_sent = enqueue_sms(), enqueue_sms(), enqueue_sms()
    OutboxMessage.objects.filter(pk__in=[old_sent.pk, new_sent.pk]).update(status=OutboxStatus.SENT)
    OutboxMessage.objects.filter(pk__in=[old_sent.pk, old_pending.pk]).update(
        created_at=timezone.now() - timedelta(days=100)
    )

    # when
    call_command("outbox_purge", "--days", "90", stdout=StringIO())

    # then
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {old_pending.pk, new_sent.pk}
    assert (
        AuditEntry.objects.get(action="notifications.outbox.purge").changes["after"]["deleted"] == 1
    )
