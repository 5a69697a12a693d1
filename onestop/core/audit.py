"""The audit log: an append-only, hash-chained record of who did what, when and why.

`audit_record` is called by services inside the transaction of the change it records, so
the change and its record commit or roll back together. `audit_verify` recomputes the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from onestop.core import context
from onestop.core.access import Actor
from onestop.core.models import AuditChainHead, AuditEntry
from onestop.core.service import note_audit

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "reason": entry.reason,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records.

    `before`/`after` are summaries: masked or absent personal data, never plaintext.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of its change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    changes: dict[str, Any] = {}
    if before is not None:
        changes["before"] = before
    if after is not None:
        changes["after"] = after

    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=actor.audit_label if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        # Round-trip through JSON so the hash is computed over exactly what is stored.
        changes=json.loads(json.dumps(changes, default=str)),
        reason=reason,
        ip=context.client_ip.get() or "",
        request_id=context.request_id.get() or "",
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(entry)
    entry.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    note_audit(action)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    problem: str = ""
    first_bad_seq: int | None = None


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; name the first entry that was altered, removed or reordered."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    with transaction.atomic():
        head = AuditChainHead.objects.filter(pk=1).first()
        for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
            if entry.seq != expected_seq:
                return ChainReport(
                    checked,
                    False,
                    f"entry #{expected_seq} is missing (next present is #{entry.seq})",
                    expected_seq,
                )
            if entry.prev_hash != prev_hash:
                return ChainReport(
                    checked,
                    False,
                    f"entry #{entry.seq} does not follow the entry before it",
                    entry.seq,
                )
            if entry_hash(entry) != entry.entry_hash:
                return ChainReport(
                    checked,
                    False,
                    f"entry #{entry.seq} was altered after it was written",
                    entry.seq,
                )
            prev_hash = entry.entry_hash
            expected_seq += 1
            checked += 1
        last_seq = head.last_seq if head else 0
        if last_seq != checked or (head and head.last_hash != prev_hash):
            return ChainReport(
                checked,
                False,
                f"entries after #{checked} were removed (the chain head is at #{last_seq})",
                checked + 1,
            )
    return ChainReport(checked, True)
