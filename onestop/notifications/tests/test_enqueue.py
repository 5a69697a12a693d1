import pytest
from django.db import connection, transaction

from onestop.core import pii
from onestop.core.errors import Conflict, DomainError
from onestop.core.pii import PiiKind
from onestop.notifications.enums import Channel, ErrorCode, OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_deliver_due, outbox_enqueue

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


class ChangeFailed(Exception):
    pass


def test_a_message_is_stored_pending_with_the_phone_encrypted(enqueue_sms):
    # when
    message = enqueue_sms(idempotency_key="signin:1")

    # then
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.status == OutboxStatus.PENDING
    assert stored.recipient_phone_masked == "138****1234"
    assert stored.recipient_phone_index == pii.blind_index(PiiKind.PHONE, PHONE)
    assert pii.reveal(stored, "recipient_phone") == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_outboxmessage WHERE id = %s", [message.pk])
        row = cursor.fetchone()
    assert not any(PHONE in str(value) for value in row)


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(memory_sms):
    # when
    with pytest.raises(ChangeFailed), transaction.atomic():
        outbox_enqueue(channel="sms", template="generic", context={"text": "hello"}, phone=PHONE)
        raise ChangeFailed

    # then
    report = outbox_deliver_due()
    assert OutboxMessage.objects.count() == 0
    assert report.claimed == 0
    assert memory_sms.memory_calls == []


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox_enqueue(channel="sms", template="generic", context={"text": "x"}, phone=PHONE)
    assert OutboxMessage.objects.count() == 0


def test_the_same_idempotency_key_returns_the_first_message(enqueue_sms):
    # given
    first = enqueue_sms(idempotency_key="booking:7:reminder")

    # when
    second = enqueue_sms(idempotency_key="booking:7:reminder", context={"code": "1", "minutes": 5})

    # then
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().context["code"] == "482913"


def test_reusing_a_key_for_another_recipient_is_a_conflict(enqueue_sms):
    # given
    enqueue_sms(idempotency_key="k1")

    # when / then
    with pytest.raises(Conflict) as excinfo:
        enqueue_sms(phone="13900001111", idempotency_key="k1")
    assert excinfo.value.code == ErrorCode.IDEMPOTENCY_KEY_REUSED


def test_without_a_key_each_call_is_a_new_message(enqueue_sms):
    first = enqueue_sms()
    second = enqueue_sms()
    assert first.idempotency_key != second.idempotency_key
    assert OutboxMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"template": "no_such_template", "context": {}}, ErrorCode.UNKNOWN_TEMPLATE),
        ({"context": {"code": "482913"}}, ErrorCode.TEMPLATE_VARIABLE_MISSING),
        ({"language": "fr"}, ErrorCode.UNKNOWN_LANGUAGE),
        ({"phone": ""}, ErrorCode.MISSING_RECIPIENT),
        ({"phone": "12345"}, ErrorCode.INVALID_PHONE),
        (
            {"context": {"code": "1", "minutes": 5, "who": "13900001111"}},
            ErrorCode.PERSONAL_DATA_IN_CONTEXT,
        ),
        (
            {"context": {"code": "1", "minutes": 5, "id": "44010619900101123X"}},
            ErrorCode.PERSONAL_DATA_IN_CONTEXT,
        ),
        ({"context": {"code": "1", "minutes": object()}}, ErrorCode.CONTEXT_NOT_JSON),
    ],
)
def test_a_bad_message_is_refused_at_enqueue_and_nothing_is_stored(enqueue_sms, options, code):
    with pytest.raises(DomainError) as excinfo:
        enqueue_sms(**options)
    assert excinfo.value.code == code
    assert OutboxMessage.objects.count() == 0


def test_a_missing_variable_names_what_is_missing(enqueue_sms):
    with pytest.raises(DomainError) as excinfo:
        enqueue_sms(context={"minutes": 5})
    assert excinfo.value.params["missing"] == ["code"]


def test_an_unknown_channel_is_refused():
    with pytest.raises(DomainError) as excinfo, transaction.atomic():
        outbox_enqueue(channel="fax", template="generic", context={"text": "x"}, phone=PHONE)
    assert excinfo.value.code == ErrorCode.UNKNOWN_CHANNEL


def test_an_email_needs_an_address_and_an_in_app_message_a_user():
    with pytest.raises(DomainError) as no_address, transaction.atomic():
        outbox_enqueue(channel="email", template="generic", context={"text": "x"}, phone=PHONE)
    with pytest.raises(DomainError) as no_user, transaction.atomic():
        outbox_enqueue(channel="in_app", template="generic", context={"text": "x"})
    assert no_address.value.code == ErrorCode.MISSING_RECIPIENT
    assert no_user.value.code == ErrorCode.MISSING_RECIPIENT


def test_only_the_address_the_channel_uses_is_stored():
    # when
    with transaction.atomic():
        message = outbox_enqueue(
            channel=Channel.EMAIL,
            template="generic",
            context={"text": "x"},
            email="citizen@example.com",
            phone=PHONE,
            user_id=42,
        )

    # then
    message.refresh_from_db()
    assert message.recipient_email == "citizen@example.com"
    assert message.recipient_phone_sealed == ""
    assert message.recipient_user_id == 42
    assert message.recipient_display == "c***@example.com"


def test_phone_numbers_are_normalised_before_they_are_indexed(enqueue_sms):
    message = enqueue_sms(phone="+86 138-1234-1234")
    assert message.recipient_phone_index == pii.blind_index(PiiKind.PHONE, PHONE)
