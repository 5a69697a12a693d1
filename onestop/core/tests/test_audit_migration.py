"""A database written with the single audit chain, migrated to streams: its entries become
the stream "platform" with their hashes unchanged, it still verifies, and the append-only
triggers survive the migration on both databases (SQLite rebuilds the table to change it)."""

import hashlib
import importlib
import json
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from onestop.core.audit import audit_record, audit_verify
from onestop.core.models import AuditEntry, AuditStreamHead

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_STREAMS = ("core", "0002_audit_append_only")
_guard = importlib.import_module("onestop.core.migrations.0002_audit_append_only")


def _legacy_hash(fields: dict) -> str:
    """The hash exactly as the single chain computed it, before streams existed."""
    payload = {**fields, "created_at": fields["created_at"].isoformat()}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _write_legacy_chain(apps, count: int) -> list[str]:
    Entry = apps.get_model("core", "AuditEntry")
    ChainHead = apps.get_model("core", "AuditChainHead")
    prev, hashes = "0" * 64, []
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "created_at": datetime(2026, 11, 1, 9, seq, tzinfo=UTC),
            "actor_id": None,
            "actor_label": "system",
            "action": "legacy.write",
            "object_type": "legacy.thing",
            "object_id": str(seq),
            "changes": {"after": {"n": seq}},
            "reason": "",
            "ip": "",
            "request_id": "",
            "prev_hash": prev,
        }
        prev = _legacy_hash(fields)
        Entry.objects.create(**fields, entry_hash=prev)
        hashes.append(prev)
    ChainHead.objects.create(pk=1, last_seq=count, last_hash=prev)
    return hashes


@pytest.fixture
def migrated_from_one_chain():
    """Go back to the single chain, write three entries as it did, then migrate forward."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_STREAMS])
    old_apps = executor.loader.project_state([BEFORE_STREAMS]).apps
    hashes = _write_legacy_chain(old_apps, 3)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    yield hashes
    # The suite runs on SQLite without the triggers (its flush deletes rows): see conftest.py.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in _guard.SQLITE_DOWN:
                cursor.execute(statement)


def test_the_single_chain_becomes_the_platform_stream_and_still_verifies(migrated_from_one_chain):
    # when
    with transaction.atomic():
        audit_record(actor=None, action="test.write", object_type="hall.window", object_id=1)

    # then
    entries = list(AuditEntry.objects.filter(stream="platform").order_by("seq"))
    assert [e.entry_hash for e in entries] == migrated_from_one_chain
    head = AuditStreamHead.objects.get(stream="platform")
    assert (head.last_seq, head.last_hash) == (3, migrated_from_one_chain[-1])
    report = audit_verify()
    assert report.ok, [s.problem for s in report.streams]
    assert [(s.stream, s.checked) for s in report.streams] == [("hall", 1), ("platform", 3)]


def test_the_triggers_still_refuse_update_and_delete_after_migrating(migrated_from_one_chain):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(stream="platform", seq=1).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(stream="platform", seq=3).delete()
    assert AuditEntry.objects.filter(stream="platform").count() == 3
