"""The one transition helper (core.workflow) and audited services (core.service), on a real
table: the outbox's messages, whose status table is a state machine."""

from typing import Any

import pytest
from django.db import transaction

from onestop.core.errors import Conflict
from onestop.core.models import AuditEntry
from onestop.core.service import HistoryMissing, audited
from onestop.core.workflow import StateMachine, TimelineEntry
from onestop.notifications.enums import ALLOWED_TRANSITIONS, OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_enqueue

pytestmark = pytest.mark.django_db

timeline: list[TimelineEntry[OutboxMessage]] = []

MESSAGE = StateMachine(
    entity="test.message",
    states=OutboxStatus,
    transitions=ALLOWED_TRANSITIONS,
    field="status",
    summary=lambda message: {"status": message.status},
    timeline=timeline.append,
    describe=lambda message: f"message {message.pk}",
)


@pytest.fixture
def message(django_user_model) -> OutboxMessage:
    timeline.clear()
    reader = django_user_model.objects.create_user("reader", kind="citizen")
    with transaction.atomic():
        return outbox_enqueue(
            channel="in_app", template="generic", context={"text": "hi"}, user_id=reader.pk
        )


def test_a_move_sets_the_state_and_writes_timeline_and_audit_together(message):
    # when
    with transaction.atomic():
        MESSAGE.move(message, to=OutboxStatus.SENDING, action="claimed", actor=None)

    # then
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    assert [(e.action, e.from_state, e.to_state) for e in timeline] == [
        ("claimed", OutboxStatus.PENDING, OutboxStatus.SENDING)
    ]
    entry = AuditEntry.objects.get(action="test.message.claimed")
    assert entry.changes == {"before": {"state": "pending"}, "after": {"status": "sending"}}


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(message):
    # when
    with pytest.raises(Conflict) as refused, transaction.atomic():
        MESSAGE.move(message, to=OutboxStatus.SENT, action="sent", actor=None)

    # then
    assert refused.value.code == "illegal_transition"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert timeline == []
    assert not AuditEntry.objects.filter(action__startswith="test.").exists()


def test_a_row_moved_by_someone_else_meanwhile_is_not_moved_again(message):
    # given: another request claimed the message after this one read it
    stale = OutboxMessage.objects.get(pk=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING)

    # when
    with pytest.raises(Conflict) as refused, transaction.atomic():
        MESSAGE.move(stale, to=OutboxStatus.SENDING, action="claimed", actor=None)

    # then
    assert refused.value.code == "state_changed"
    assert timeline == []


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_a_transaction_is_a_programming_error(message):
    with pytest.raises(RuntimeError):
        MESSAGE.move(message, to=OutboxStatus.SENDING, action="claimed", actor=None)


def test_a_table_naming_an_unknown_state_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(
            entity="test.bad",
            states=OutboxStatus,
            transitions={OutboxStatus.PENDING: {"shipped"}},
            summary=lambda row: {},
        )


@audited("test.message.claimed", timeline=True)
def _claim(*, message: OutboxMessage, record: bool) -> OutboxMessage:
    if record:
        return MESSAGE.move(message, to=OutboxStatus.SENDING, action="claimed", actor=None)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING)
    return message


def test_an_audited_service_that_records_its_history_commits(message):
    _claim(message=message, record=True)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING


def test_an_audited_service_that_forgets_its_history_rolls_back(message):
    # when: the same change without the helper, so without audit or timeline
    with pytest.raises(HistoryMissing, match=r"test\.message\.claimed"):
        _claim(message=message, record=False)

    # then
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING


@audited("test.message.claimed", unless=lambda result: result is None)
def _claim_if(*, message: OutboxMessage, wanted: bool) -> Any:
    return (
        MESSAGE.move(message, to=OutboxStatus.SENDING, action="claimed", actor=None)
        if (wanted)
        else None
    )


def test_unless_excuses_a_service_that_changed_nothing(message):
    assert _claim_if(message=message, wanted=False) is None
    assert _claim_if(message=message, wanted=True) is message


@audited("test.outer")
def _outer(*, message: OutboxMessage) -> None:
    _claim(message=message, record=True)


def test_entries_of_inner_services_do_not_stand_in_for_the_outer_ones_own(message):
    with pytest.raises(HistoryMissing, match=r"test\.outer"):
        _outer(message=message)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
