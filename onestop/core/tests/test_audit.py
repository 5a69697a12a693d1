import hashlib
import hmac
import itertools
import json
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from onestop.core.audit import (
    GENESIS_HASH,
    Anchor,
    _anchor_keys,
    audit_anchor,
    audit_record,
    audit_stream_for,
    audit_verify,
    entry_hash,
)
from onestop.core.models import AuditEntry, AuditStreamHead, Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    """Each test anchors into a file of its own."""
    path = tmp_path / "audit" / "anchors.jsonl"
    settings.ONESTOP_AUDIT_ANCHOR_FILE = str(path)
    return path


def _write(stream: str, count: int) -> None:
    for n in range(count):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="test.write",
                object_type=f"{stream}.thing",
                object_id=n,
                after={"n": n},
                reason="because",
            )


def _entry(stream: str, seq: int) -> AuditEntry:
    return AuditEntry.objects.get(stream=stream, seq=seq)


def _drop_guard_triggers() -> None:
    # An attacker with database superuser rights can drop the triggers; the chains must
    # still give them away. (On SQLite the suite runs without them: see conftest.py.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_update")


def _rewind_head(stream: str, seq: int) -> None:
    """What an attacker who cuts a stream short also does: move its head back."""
    AuditStreamHead.objects.filter(stream=stream).update(
        last_seq=seq, last_hash=_entry(stream, seq).entry_hash
    )


def _rechain_from(stream: str, seq: int, **change: object) -> None:
    """Rewrite entry `seq` and recompute every hash after it, and the head, so that the
    chain on its own looks intact."""
    prev = _entry(stream, seq - 1).entry_hash if seq > 1 else GENESIS_HASH
    for entry in AuditEntry.objects.filter(stream=stream, seq__gte=seq).order_by("seq"):
        edits = change if entry.seq == seq else {}
        for name, value in edits.items():
            setattr(entry, name, value)
        entry.prev_hash = prev
        entry.entry_hash = entry_hash(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, entry_hash=entry.entry_hash, **edits
        )
        prev = entry.entry_hash
    AuditStreamHead.objects.filter(stream=stream).update(last_hash=prev)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


# --- Streams ---------------------------------------------------------------------------------


def test_stream_is_the_objects_app_or_else_the_actions_first_part():
    assert audit_stream_for(action="calendar_override.set", obj=Department()) == "core"
    assert audit_stream_for(action="window.open", object_type="hall.window") == "hall"
    assert audit_stream_for(action="hall.ticket.called") == "hall"
    assert audit_stream_for(action="signout") == "signout"


def test_each_stream_chains_its_own_entries_from_one():
    # when: two streams written in turn
    for n in range(3):
        _write("hall", 1)
        _write("identity", 1 + n % 2)

    # then
    for stream, count in (("hall", 3), ("identity", 4)):
        entries = list(AuditEntry.objects.filter(stream=stream).order_by("seq"))
        assert [e.seq for e in entries] == list(range(1, count + 1))
        assert entries[0].prev_hash == GENESIS_HASH
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
        head = AuditStreamHead.objects.get(stream=stream)
        assert (head.last_seq, head.last_hash) == (count, entries[-1].entry_hash)
    report = audit_verify()
    assert report.ok
    assert [(s.stream, s.checked) for s in report.streams] == [("hall", 3), ("identity", 4)]


def test_an_entry_with_an_object_joins_the_objects_app():
    # when
    with transaction.atomic():
        entry = audit_record(actor=None, action="department.change", obj=Department(pk=7))

    # then
    assert (entry.stream, entry.seq, entry.object_type, entry.object_id) == (
        "core",
        1,
        "core.department",
        "7",
    )


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test.write")
    assert AuditEntry.objects.count() == 0


def test_entry_rolls_back_with_its_change():
    # given
    _write("test", 1)

    # when
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action="test.write")
        raise ValueError("the change failed")

    # then
    assert AuditEntry.objects.count() == 1
    assert AuditStreamHead.objects.get(stream="test").last_seq == 1
    assert audit_verify().ok


def test_database_refuses_to_update_or_delete_entries(audit_append_only_guard):
    # given
    _write("test", 1)

    # then
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()


# --- What verify finds -----------------------------------------------------------------------


def test_verify_names_the_altered_entry_of_its_stream():
    # given
    _write("hall", 5)
    _write("identity", 2)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(stream="hall", seq=3).update(reason="nothing to see")

    # then
    report = audit_verify()
    assert not report.ok
    assert report.stream("hall").first_bad_seq == 3
    assert "altered" in report.stream("hall").problem
    assert report.stream("identity").ok


def test_verify_names_a_removed_middle_entry():
    # given
    _write("hall", 5)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(stream="hall", seq=2).delete()

    # then
    report = audit_verify()
    assert report.stream("hall").first_bad_seq == 2
    assert "missing" in report.stream("hall").problem


def test_verify_notices_the_newest_entries_removed_behind_the_head():
    # given
    _write("hall", 4)
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(stream="hall", seq=4).delete()

    # then
    report = audit_verify()
    assert not report.ok
    assert report.stream("hall").first_bad_seq == 4
    assert "removed" in report.stream("hall").problem


def test_a_tail_cut_with_its_head_rewound_is_found_by_the_anchor():
    # given: anchored at #5
    _write("hall", 5)
    audit_anchor()
    _drop_guard_triggers()

    # when: #4 and #5 go, and the head is moved back to #3
    AuditEntry.objects.filter(stream="hall", seq__gte=4).delete()
    _rewind_head("hall", 3)

    # then
    report = audit_verify()
    hall = report.stream("hall")
    assert (hall.ok, hall.checked, hall.first_bad_seq, hall.anchored_seq) == (False, 3, 4, 5)
    assert "truncated" in hall.problem


def test_a_stream_rewritten_consistently_after_its_anchor_is_found():
    # given
    _write("hall", 4)
    audit_anchor()
    _drop_guard_triggers()

    # when: entry #2 edited and every later hash recomputed, head included
    _rechain_from("hall", 2, reason="a better story")

    # then
    report = audit_verify()
    assert "rewritten" in report.stream("hall").problem
    assert report.stream("hall").first_bad_seq == 4


def test_a_stream_removed_altogether_is_found_by_its_anchor():
    # given
    _write("hall", 2)
    _write("identity", 1)
    audit_anchor()
    _drop_guard_triggers()

    # when
    AuditEntry.objects.filter(stream="hall").delete()
    AuditStreamHead.objects.filter(stream="hall").delete()

    # then
    report = audit_verify()
    assert "vanished" in report.stream("hall").problem
    assert report.stream("identity").ok


def test_an_entry_moved_to_another_stream_breaks_both():
    # given
    _write("hall", 5)
    _write("identity", 2)
    _drop_guard_triggers()

    # when: hall's #3 is passed off as identity's #3
    AuditEntry.objects.filter(stream="hall", seq=3).update(stream="identity")

    # then
    report = audit_verify()
    assert report.stream("hall").first_bad_seq == 3
    assert "missing" in report.stream("hall").problem
    assert report.stream("identity").first_bad_seq == 3


def test_an_entry_moved_and_renumbered_to_fit_still_fails_its_hash():
    # given
    _write("hall", 5)
    _write("identity", 2)
    _drop_guard_triggers()
    identity_last = _entry("identity", 2)

    # when: hall's newest entry becomes identity's #3, chained to identity's #2
    AuditEntry.objects.filter(stream="hall", seq=5).update(
        stream="identity", seq=3, prev_hash=identity_last.entry_hash
    )
    _rewind_head("hall", 4)
    AuditStreamHead.objects.filter(stream="identity").update(last_seq=3)

    # then
    report = audit_verify()
    assert report.stream("identity").first_bad_seq == 3
    assert "altered" in report.stream("identity").problem


# --- Anchors ---------------------------------------------------------------------------------


def test_anchor_appends_a_signed_line_per_stream_to_the_file_and_the_log(anchor_file):
    # given
    _write("hall", 3)
    _write("identity", 1)
    logged = _Lines()
    logging.getLogger("onestop.audit.anchor").addHandler(logged)

    # when
    try:
        audit_anchor()
        audit_anchor()
    finally:
        logging.getLogger("onestop.audit.anchor").removeHandler(logged)

    # then
    lines = anchor_file.read_text().splitlines()
    assert lines == logged.lines
    assert len(lines) == 4
    first = json.loads(lines[0])
    kid, keys = _anchor_keys()
    unsigned = {k: v for k, v in first.items() if k != "signature"}
    expected = hmac.new(
        keys[kid],
        json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode(),
        hashlib.sha256,
    ).hexdigest()
    assert (first["stream"], first["seq"], first["key_id"]) == ("hall", 3, kid)
    assert first["hash"] == _entry("hall", 3).entry_hash
    assert first["signature"] == expected


def test_anchor_skips_streams_that_have_not_moved_since_it_last_wrote(anchor_file):
    # given
    _write("hall", 1)
    _write("identity", 1)
    written = {a.stream: (a.seq, a.hash) for a in audit_anchor()}
    _write("hall", 1)

    # when
    anchors = audit_anchor(skip_unchanged=written)

    # then
    assert [(a.stream, a.seq) for a in anchors] == [("hall", 2)]
    assert len(anchor_file.read_text().splitlines()) == 3


def test_a_forged_anchor_line_is_reported_and_not_believed(anchor_file):
    # given: a real anchor at #2, then a line claiming #9 that reuses its signature
    _write("hall", 2)
    (real,) = audit_anchor()
    forged = Anchor(**{**json.loads(real.line()), "seq": 9})
    with anchor_file.open("a") as file:
        file.write(forged.line() + "\n")
        file.write(json.dumps({**json.loads(real.line()), "key_id": "stolen"}) + "\n")
        file.write("not json\n")

    # when
    report = audit_verify()

    # then
    assert report.anchors.problems == [
        "anchor line 2 (hall #9) has a bad signature",
        "anchor line 3 (hall #2) is signed with an unknown key 'stolen'",
        "anchor line 4 is not an anchor",
    ]
    assert report.stream("hall").ok
    assert report.stream("hall").anchored_seq == 2
    assert not report.ok


def test_verify_without_an_anchor_file_checks_the_chains_alone(anchor_file):
    # given
    _write("hall", 2)

    # when
    report = audit_verify()

    # then
    assert report.ok
    assert not report.anchors.found
    assert report.stream("hall").anchored_seq is None


# --- The command -----------------------------------------------------------------------------


def test_verify_command_reports_each_stream_and_fails_naming_the_broken_one(anchor_file):
    # given
    _write("hall", 2)
    _write("identity", 1)
    call_command("audit", "anchor", stdout=StringIO())
    out = StringIO()

    # when
    call_command("audit", "verify", stdout=out)

    # then
    assert "hall: 2 entries intact, anchored at #2" in out.getvalue()
    assert "identity: 1 entries intact, anchored at #1" in out.getvalue()
    assert "intact: 3 entries in 2 stream(s)" in out.getvalue()
    _drop_guard_triggers()
    AuditEntry.objects.filter(stream="hall", seq=1).update(action="test.other")
    err = StringIO()
    with pytest.raises(CommandError, match="broken in hall;"):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert "hall: BROKEN at #1 after 0 good entries: entry #1 was altered" in err.getvalue()


def test_anchor_command_names_what_it_anchored(anchor_file):
    # given
    _write("hall", 2)
    out = StringIO()

    # when
    call_command("audit", "anchor", stdout=out)

    # then
    assert f"anchored 1 stream(s) in {anchor_file}: hall #2" in out.getvalue()


def test_anchor_command_without_a_key_says_which_setting_is_missing(settings):
    # given
    _write("hall", 1)
    settings.ONESTOP_AUDIT_ANCHOR_KEY = ""

    # when / then
    with pytest.raises(CommandError, match="ONESTOP_AUDIT_ANCHOR_KEY must be set"):
        call_command("audit", "anchor", stdout=StringIO())
