"""The audit log: an append-only, hash-chained record of who did what, when and why.

`audit_record` is called by services inside the transaction of the change it records, so
the change and its record commit or roll back together. The log is split into streams, one
per app (the entry's object's app, or the action's first dotted part when there is no
object): each stream is a hash chain of its own behind a head row of its own, so writers in
different streams never wait for each other, while writers in one stream queue on its head
until they commit (decision 0017).

`audit_anchor` signs each stream's head into an append-only file and a log line, somewhere
the database cannot rewrite; `audit_verify` recomputes every stream and holds it against its
latest anchor, so a stream cut short and its head rewound with it is found too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from onestop.core import context
from onestop.core.access import Actor
from onestop.core.models import AuditEntry, AuditStreamHead
from onestop.core.service import note_audit

GENESIS_HASH = "0" * 64
# The one chain written before streams existed; its entries were hashed without a stream.
LEGACY_STREAM = "platform"
STREAM_MAX_LENGTH = AuditEntry._meta.get_field("stream").max_length or 100

anchor_log = logging.getLogger("onestop.audit.anchor")


def audit_stream_for(*, action: str, obj: Any = None, object_type: str = "") -> str:
    """The stream an entry belongs to: its object's app ("hall" for a hall.window), else the
    first part of its action ("hall.ticket.called" -> "hall")."""
    if obj is not None:
        stream = obj._meta.app_label
    elif object_type:
        stream = object_type.split(".", 1)[0]
    else:
        stream = action.split(".", 1)[0]
    stream = stream.strip().lower()
    if not stream or len(stream) > STREAM_MAX_LENGTH:
        raise ValueError(f"no audit stream can be derived from action {action!r}")
    return stream


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
    # The stream is part of what is hashed, so an entry moved to another stream no longer
    # matches its hash; the legacy stream's entries keep the hashes they were written with.
    if entry.stream != LEGACY_STREAM:
        payload["stream"] = entry.stream
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
    stream = audit_stream_for(action=action, obj=obj, object_type=object_type)
    if obj is not None:
        # A proxy (a StaffUser is a User) is recorded as the table it lives in.
        object_type = object_type or obj._meta.concrete_model._meta.label_lower
        object_id = object_id or obj.pk
    changes: dict[str, Any] = {}
    if before is not None:
        changes["before"] = before
    if after is not None:
        changes["after"] = after

    # The stream's head is held until commit: the next entry of this stream needs this
    # one's hash, and must not see it if this transaction rolls back.
    head, _ = AuditStreamHead.objects.select_for_update().get_or_create(stream=stream)
    entry = AuditEntry(
        stream=stream,
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
    AuditStreamHead.objects.filter(stream=stream).update(
        last_seq=entry.seq, last_hash=entry.entry_hash
    )
    note_audit(action)
    return entry


# --- Anchors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A stream's head as it stood at `at`, signed with the anchor key `key_id`."""

    stream: str
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str = ""

    def signed_part(self) -> bytes:
        payload = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def _anchor_keys() -> tuple[str, dict[str, bytes]]:
    """("kid", {kid: key}) from ONESTOP_AUDIT_ANCHOR_KEY, "kid:base64key[,kid:base64key...]":
    the first key signs, every listed key verifies (so a key can be rotated)."""
    spec = (getattr(settings, "ONESTOP_AUDIT_ANCHOR_KEY", "") or "").strip()
    if not spec:
        raise ImproperlyConfigured("ONESTOP_AUDIT_ANCHOR_KEY must be set to anchor the audit log")
    keys: dict[str, bytes] = {}
    for part in spec.split(","):
        kid, sep, material = part.strip().partition(":")
        try:
            key = base64.b64decode(material, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"audit anchor key {kid!r} is not base64") from exc
        if not sep or not kid or len(key) < 32:
            raise ImproperlyConfigured(
                "ONESTOP_AUDIT_ANCHOR_KEY entries are kid:base64key, keys of at least 32 bytes"
            )
        keys[kid] = key
    return spec.split(",")[0].partition(":")[0].strip(), keys


def _signature(anchor: Anchor, key: bytes) -> str:
    return hmac.new(key, anchor.signed_part(), hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(settings.ONESTOP_AUDIT_ANCHOR_FILE)


def audit_anchor(*, skip_unchanged: Mapping[str, tuple[int, str]] | None = None) -> list[Anchor]:
    """Append one signed line per stream (its head's seq and hash) to the anchor file, and
    log the same line to `onestop.audit.anchor` so that it reaches the central logs.

    `skip_unchanged` maps a stream to the (seq, hash) last anchored for it; a stream still
    there is not written again (a long-running anchorer passes what it wrote last time).
    """
    kid, keys = _anchor_keys()
    at = timezone.now().isoformat()
    anchors = []
    for head in AuditStreamHead.objects.filter(last_seq__gt=0).order_by("stream"):
        if skip_unchanged and skip_unchanged.get(head.stream) == (head.last_seq, head.last_hash):
            continue
        unsigned = Anchor(head.stream, head.last_seq, head.last_hash, at, kid)
        anchors.append(Anchor(**{**asdict(unsigned), "signature": _signature(unsigned, keys[kid])}))
    if not anchors:
        return anchors
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(anchor.line() + "\n" for anchor in anchors).encode()
    # One write to a file opened for appending: lines of concurrent anchorers never mix,
    # and nothing already written is touched.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        while text:
            text = text[os.write(fd, text) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    for anchor in anchors:
        anchor_log.info(anchor.line())
    return anchors


@dataclass
class AnchorScan:
    """What the anchor file says: the highest valid anchor of each stream, and every line
    that is not a valid anchor."""

    found: bool = False
    lines: int = 0
    latest: dict[str, Anchor] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _anchor_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8", errors="replace") as file:
        for number, text in enumerate(file, start=1):
            if text.strip():
                yield number, text


def audit_anchors_read() -> AnchorScan:
    path = anchor_path()
    scan = AnchorScan(found=path.exists())
    if not scan.found:
        return scan
    _, keys = _anchor_keys()
    for number, text in _anchor_lines(path):
        scan.lines += 1
        try:
            raw = json.loads(text)
            anchor = Anchor(
                stream=str(raw["stream"]),
                seq=int(raw["seq"]),
                hash=str(raw["hash"]),
                at=str(raw["at"]),
                key_id=str(raw["key_id"]),
                signature=str(raw["signature"]),
            )
        except (ValueError, KeyError, TypeError):
            scan.problems.append(f"anchor line {number} is not an anchor")
            continue
        key = keys.get(anchor.key_id)
        if key is None:
            scan.problems.append(
                f"anchor line {number} ({anchor.stream} #{anchor.seq}) is signed with an "
                f"unknown key {anchor.key_id!r}"
            )
            continue
        if not hmac.compare_digest(_signature(anchor, key), anchor.signature):
            scan.problems.append(
                f"anchor line {number} ({anchor.stream} #{anchor.seq}) has a bad signature"
            )
            continue
        current = scan.latest.get(anchor.stream)
        if current is None or anchor.seq >= current.seq:
            scan.latest[anchor.stream] = anchor
    return scan


# --- Verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamReport:
    stream: str
    checked: int
    problems: tuple[str, ...] = ()
    first_bad_seq: int | None = None
    anchored_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str:
        return "; ".join(self.problems)


@dataclass(frozen=True)
class AuditReport:
    streams: tuple[StreamReport, ...]
    anchors: AnchorScan

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.streams) and not self.anchors.problems

    @property
    def checked(self) -> int:
        return sum(s.checked for s in self.streams)

    def stream(self, name: str) -> StreamReport:
        return next(s for s in self.streams if s.stream == name)


@dataclass
class _Walk:
    """Where the walk of one stream has got to."""

    stream: str
    checked: int = 0
    prev_hash: str = GENESIS_HASH
    problem: str = ""
    first_bad_seq: int | None = None

    def fail(self, seq: int, problem: str) -> None:
        self.first_bad_seq, self.problem = seq, problem

    def advance(self, up_to: int | None, batch_size: int) -> None:
        """Check the stream's entries after the last one checked, up to seq `up_to`."""
        while not self.problem:
            entries = AuditEntry.objects.filter(stream=self.stream, seq__gt=self.checked)
            if up_to is not None:
                entries = entries.filter(seq__lte=up_to)
            batch = list(entries.order_by("seq")[:batch_size])
            for entry in batch:
                expected = self.checked + 1
                if entry.seq != expected:
                    self.fail(
                        expected, f"entry #{expected} is missing (next present is #{entry.seq})"
                    )
                elif entry.prev_hash != self.prev_hash:
                    self.fail(entry.seq, f"entry #{entry.seq} does not follow the entry before it")
                elif entry_hash(entry) != entry.entry_hash:
                    self.fail(entry.seq, f"entry #{entry.seq} was altered after it was written")
                if self.problem:
                    return
                self.prev_hash = entry.entry_hash
                self.checked += 1
            if len(batch) < batch_size:
                return


def _head(stream: str) -> AuditStreamHead | None:
    return AuditStreamHead.objects.filter(stream=stream).first()


def _walk_to_head(walk: _Walk, head: AuditStreamHead, batch_size: int) -> AuditStreamHead:
    """Check the entries up to the head as it was read, following the head while it moves;
    returns the head the walk ended at.

    An entry is committed together with its head's move, so every entry up to a head that
    was read is visible, without a snapshot that would hold writers up; later appends are
    left to the next verify. An entry beyond a head that has not moved was not written by
    `audit_record`."""
    while True:
        walk.advance(head.last_seq, batch_size)
        if walk.problem:
            return head
        if walk.checked < head.last_seq:
            walk.fail(
                walk.checked + 1,
                f"entries after #{walk.checked} were removed "
                f"(the stream's head is at #{head.last_seq})",
            )
            return head
        if head.last_hash != walk.prev_hash:
            walk.fail(head.last_seq, f"entry #{head.last_seq} does not match the stream's head")
            return head
        if not AuditEntry.objects.filter(stream=walk.stream, seq__gt=head.last_seq).exists():
            return head
        moved = _head(walk.stream)
        if moved is None or moved.last_seq == head.last_seq:
            walk.fail(
                head.last_seq + 1, f"entry #{head.last_seq + 1} lies beyond the stream's head"
            )
            return head
        head = moved


def _against_anchor(stream: str, end: int, anchor: Anchor) -> tuple[str, int] | None:
    """(problem, first bad seq) if the stream, ending at `end`, is not what was anchored."""
    if end == 0:
        return (
            f"the stream vanished: it was anchored at #{anchor.seq} at {anchor.at} "
            "and has no entries now",
            1,
        )
    if end < anchor.seq:
        return (
            f"truncated: the stream ends at #{end} but was anchored at #{anchor.seq} "
            f"at {anchor.at}",
            end + 1,
        )
    anchored = AuditEntry.objects.filter(stream=stream, seq=anchor.seq).first()
    if anchored is None:
        return f"entry #{anchor.seq}, anchored at {anchor.at}, is missing", anchor.seq
    if anchored.entry_hash != anchor.hash:
        return f"rewritten: entry #{anchor.seq} is not the entry anchored at {anchor.at}", (
            anchor.seq
        )
    return None


def _verify_stream(
    stream: str, head: AuditStreamHead | None, anchor: Anchor | None, batch_size: int
) -> StreamReport:
    walk = _Walk(stream)
    if head is not None:
        end = _walk_to_head(walk, head, batch_size).last_seq
    else:
        walk.advance(None, batch_size)
        end = walk.checked
        if not walk.problem and walk.checked:
            walk.fail(walk.checked, "the stream has entries but no head row")
    problems = [walk.problem] if walk.problem else []
    first_bad = walk.first_bad_seq
    mismatch = _against_anchor(stream, end, anchor) if anchor is not None else None
    if mismatch is not None:
        problems.append(mismatch[0])
        first_bad = first_bad or mismatch[1]
    return StreamReport(
        stream,
        walk.checked,
        tuple(problems),
        first_bad,
        anchor.seq if anchor is not None else None,
    )


def audit_verify(*, batch_size: int = 5000) -> AuditReport:
    """Walk every stream; name the first entry of each that was altered, removed, reordered
    or moved, and every stream shorter than, or different from, its latest signed anchor.

    Reads without a long transaction, so writers are never held up: anchors first, then the
    heads, then the entries each head vouches for.
    """
    anchors = audit_anchors_read()
    heads = {head.stream: head for head in AuditStreamHead.objects.all()}
    streams = set(heads) | set(anchors.latest)
    streams |= set(AuditEntry.objects.order_by().values_list("stream", flat=True).distinct())
    reports = tuple(
        _verify_stream(name, heads.get(name), anchors.latest.get(name), batch_size)
        for name in sorted(streams)
    )
    return AuditReport(reports, anchors)
