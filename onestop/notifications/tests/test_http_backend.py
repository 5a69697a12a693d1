import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from onestop.notifications.backends import HttpSmsBackend, PermanentFailure, TemporaryFailure
from onestop.notifications.enums import OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_deliver_due

PHONE = "13812341234"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _reload(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


@pytest.mark.django_db
def test_an_sms_reaches_the_gateway_signed_and_exactly_once(sms_gateway, enqueue_sms):
    # given
    message = enqueue_sms(idempotency_key="signin:42")

    # when
    report = outbox_deliver_due()
    outbox_deliver_due()

    # then
    assert report.sent == 1
    assert (sms_gateway.requests, sms_gateway.rejected) == (1, 0)
    [sms] = sms_gateway.messages
    assert sms["to"] == PHONE
    assert sms["idempotency_key"] == "signin:42"
    assert sms["message_id"] == str(message.pk)
    assert "482913" in sms["text"]
    assert _reload(message).gateway_message_id == sms["id"]


def test_the_signature_covers_timestamp_and_body(sms_gateway):
    # given the backend's own request passes the gateway's independent check
    gateway_id = HttpSmsBackend().send("1", PHONE, "hello", "k-1")

    # when a body is sent with a signature made with another key
    body = json.dumps({"message_id": "2", "to": PHONE, "text": "hello"}).encode()
    timestamp = str(int(datetime.now(UTC).timestamp()))
    forged = hmac.new(b"wrong key", timestamp.encode() + b"." + body, hashlib.sha256)
    response = httpx.post(
        sms_gateway.url,
        content=body,
        headers={
            "X-Onestop-Timestamp": timestamp,
            "X-Onestop-Signature": forged.hexdigest(),
            "Idempotency-Key": "k-2",
        },
    )

    # then
    assert gateway_id == sms_gateway.messages[0]["id"]
    assert response.status_code == 401
    assert sms_gateway.rejected == 1
    assert len(sms_gateway.messages) == 1


def test_a_wrong_gateway_key_is_a_permanent_failure(sms_gateway):
    with pytest.raises(PermanentFailure, match="401"):
        HttpSmsBackend(key="not the gateway's key").send("1", PHONE, "hello", "k-1")
    assert sms_gateway.messages == []


def test_a_resend_with_the_same_key_is_not_a_second_sms(sms_gateway):
    backend = HttpSmsBackend()
    first = backend.send("1", PHONE, "hello", "k-1")
    second = backend.send("1", PHONE, "hello", "k-1")
    assert first == second
    assert (len(sms_gateway.messages), sms_gateway.duplicates) == (1, 1)


def test_unavailable_timeout_and_refused_are_temporary(sms_gateway):
    backend = HttpSmsBackend(timeout=0.3)

    sms_gateway.fail_next(1, status=503)
    with pytest.raises(TemporaryFailure, match="503"):
        backend.send("1", PHONE, "hello", "k-1")

    sms_gateway.fail_next(1, status=429)
    with pytest.raises(TemporaryFailure, match="429"):
        backend.send("1", PHONE, "hello", "k-1")

    sms_gateway.delay(2)
    with pytest.raises(TemporaryFailure, match="timed out"):
        backend.send("1", PHONE, "hello", "k-2")
    sms_gateway.delay(0)

    sms_gateway.stop()
    with pytest.raises(TemporaryFailure, match="unreachable"):
        backend.send("1", PHONE, "hello", "k-3")


def test_a_client_error_is_permanent(sms_gateway):
    sms_gateway.fail_next(1, status=400)
    with pytest.raises(PermanentFailure, match="400"):
        HttpSmsBackend().send("1", PHONE, "hello", "k-1")


@pytest.mark.django_db
@pytest.mark.parametrize("outage", ["stopped", "503"])
def test_while_the_gateway_is_down_the_message_waits_and_then_goes_once(
    sms_gateway, enqueue_sms, time_machine, settings, outage
):
    # given
    time_machine.move_to(START, tick=False)
    settings.ONESTOP_OUTBOX_BACKOFF_SECONDS = 30
    message = enqueue_sms()
    if outage == "stopped":
        sms_gateway.stop()
    else:
        sms_gateway.fail_next(1000)

    # when the worker tries twice during the outage
    outbox_deliver_due()
    time_machine.shift(timedelta(seconds=40))
    outbox_deliver_due()
    waiting = _reload(message)

    # then it is kept, further back each time
    assert waiting.status == OutboxStatus.FAILED
    assert waiting.attempts == 2
    assert waiting.next_attempt_at - START >= timedelta(seconds=40 + 60)
    assert sms_gateway.messages == []

    # when the gateway is back, and the time comes
    if outage == "stopped":
        sms_gateway.start()
    else:
        sms_gateway.fail_next(0)
    outbox_deliver_due()
    assert _reload(message).status == OutboxStatus.FAILED  # not yet due
    time_machine.shift(timedelta(seconds=67))
    outbox_deliver_due()

    # then
    assert _reload(message).status == OutboxStatus.SENT
    assert len(sms_gateway.messages) == 1
