"""Workers racing for the same messages never both send one. PostgreSQL only: that is where
concurrent writers really interleave (SQLite serialises them)."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from onestop.notifications import backends
from onestop.notifications.enums import OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_deliver_due, outbox_enqueue

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WORKERS = 4
MESSAGES = 120


class SlowMemoryBackend(backends.MemorySmsBackend):
    """Takes a moment per message, so that the workers' batches overlap in time."""

    def send(self, message_id, phone, text, idempotency_key):
        time.sleep(0.002)
        return super().send(message_id, phone, text, idempotency_key)


@pytest.mark.parametrize("skip_locked", [True, False], ids=["skip-locked", "compare-and-set-only"])
def test_racing_workers_send_each_message_exactly_once(
    memory_sms, settings, monkeypatch, skip_locked
):
    # given
    monkeypatch.setitem(backends.BACKENDS, "slow_memory", SlowMemoryBackend)
    settings.ONESTOP_SMS_BACKEND = "slow_memory"
    monkeypatch.setattr(type(connection.features), "has_select_for_update_skip_locked", skip_locked)
    with transaction.atomic():
        for n in range(MESSAGES):
            outbox_enqueue(
                channel="sms",
                template="generic",
                context={"text": f"message {n}"},
                phone="13812341234",
                idempotency_key=f"race:{n}",
            )
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            while outbox_deliver_due(limit=10).claimed:
                pass
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then
    assert errors == []
    calls = Counter(memory_sms.memory_calls)
    assert len(calls) == MESSAGES
    assert max(calls.values()) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
