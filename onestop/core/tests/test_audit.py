from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from onestop.core.audit import audit_record, audit_verify
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _write_entries(count: int) -> None:
    for n in range(count):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="test.write",
                object_type="test.thing",
                object_id=n,
                after={"n": n},
                reason="because",
            )


def _drop_guard_triggers() -> None:
    # An attacker with database superuser rights can drop the triggers; the chain must
    # still give them away. (On SQLite the suite runs without them: see conftest.py.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_update")


def test_entries_chain_each_to_the_one_before():
    # when
    _write_entries(3)

    # then
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test.write")
    assert AuditEntry.objects.count() == 0


def test_entry_rolls_back_with_its_change():
    # given
    _write_entries(1)

    # when
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action="test.write")
        raise ValueError("the change failed")

    # then
    assert AuditEntry.objects.count() == 1
    assert audit_verify().ok


def test_database_refuses_to_update_or_delete_entries(audit_append_only_guard):
    # given
    _write_entries(1)

    # then
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()


def test_verify_names_the_altered_entry():
    # given
    _write_entries(5)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(seq=3).update(reason="nothing to see")

    # then
    report = audit_verify()
    assert not report.ok
    assert report.first_bad_seq == 3
    assert "altered" in report.problem


def test_verify_names_a_removed_entry():
    # given
    _write_entries(5)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(seq=2).delete()

    # then
    report = audit_verify()
    assert report.first_bad_seq == 2
    assert "missing" in report.problem


def test_verify_notices_the_newest_entries_removed():
    # given
    _write_entries(4)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(seq=4).delete()

    # then
    report = audit_verify()
    assert not report.ok
    assert report.first_bad_seq == 4


def test_verify_command_fails_on_a_broken_chain_and_passes_on_an_intact_one():
    # given
    _write_entries(2)
    out = StringIO()

    # when
    call_command("audit", "verify", stdout=out)

    # then
    assert "intact: 2 entries" in out.getvalue()
    _drop_guard_triggers()
    AuditEntry.objects.filter(seq=1).update(action="test.other")
    with pytest.raises(CommandError, match="entry #1 was altered"):
        call_command("audit", "verify")
