"""The periodic sweep of cases' deadlines (decision 0039) and of one-time notices that ran
out without an answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from onestop.cases import selectors
from onestop.cases.enums import OPEN_STATES, CaseState, DeadlineStatus
from onestop.cases.models import Case, CorrectionNotice, SweepCalendar
from onestop.cases.policies import RULES, Perm
from onestop.cases.services._moves import clock_fields
from onestop.cases.services.acceptance import case_correction_lapse
from onestop.core.service import audited
from onestop.core.workdays import calendar_fingerprint
from onestop.identity.actors import StaffUser
from onestop.notifications.services import outbox_enqueue


@dataclass
class SweepReport:
    looked_at: int = 0
    changed: int = 0
    warned: int = 0
    # Open cases whose clocks were computed in Python (marks missing, or a new calendar).
    recomputed: int = 0


# Rows read per round trip, and case ids named in one UPDATE (well under SQLite's limit of
# bound parameters).
SWEEP_BATCH = 2000
SWEEP_UPDATE_IDS = 500
# Cases named in one warning; the rest are counted by the inbox.
DIGEST_LINES = 50
_WARN_STATUSES = (DeadlineStatus.WARNING, DeadlineStatus.OVERDUE, DeadlineStatus.SEVERELY_OVERDUE)
_SWEEP_COLUMNS = (
    "id",
    "number",
    "state",
    "limit_value",
    "limit_unit",
    "extension_days",
    "received_on",
    "pauses_text",
    "deadline_status",
    "due_date",
    "warn_on",
    "severe_on",
    "assignee_id",
    "department_id",
)


def _warn(key: str, user_id: int, rows: list[tuple[str, str]], today: date) -> None:
    """One in-app message to an approver (or a head) listing the cases that became nearly
    due, overdue or severely overdue in this run: a digest, not a message per case. A second
    run finds nothing newly changed and sends nothing."""
    rows = sorted(rows)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    labels: dict[str, str] = {s: str(DeadlineStatus(s).label) for s in _WARN_STATUSES}
    lines = [f"{number}: {labels[status]}" for number, status in rows[:DIGEST_LINES]]
    more = len(rows) > DIGEST_LINES
    outbox_enqueue(
        channel="in_app",
        template="generic",
        context={"text": "\n".join(lines) + ("\n…" if more else "")},
        user_id=user_id,
        idempotency_key=f"cases:{key}:{user_id}:{today.isoformat()}:{digest}",
    )


# A case the sweep changes: (id, number, assignee id, department id).
_Changed = tuple[int, str, int | None, int]
# The clock's stored columns: (status, due date, warn on, severe on).
_Stored = tuple[str, date | None, date | None, date | None]
# What a group of cases goes from and to: (state, old columns, new columns).
_Change = tuple[str, _Stored, _Stored]


def _sweep_write(change: _Change, cases: list[_Changed]) -> list[_Changed]:
    """Store new clock columns on cases of one state that had the same old ones, in
    set-based UPDATEs of SWEEP_UPDATE_IDS ids each. A case a service moved since it was
    read (to another state, paused, or extended: its stored clock is no longer the one
    read) is left alone, so the sweep never writes over a fresher clock. Returns the cases
    written."""
    state, (old_status, old_due, _old_warn, _old_severe), new = change
    status, due, warn_on, severe_on = new
    written: list[_Changed] = []
    for start in range(0, len(cases), SWEEP_UPDATE_IDS):
        chunk = cases[start : start + SWEEP_UPDATE_IDS]
        ids = [row[0] for row in chunk]
        still = Case.objects.filter(pk__in=ids, state=state, deadline_status=old_status)
        still = (
            still.filter(due_date__isnull=True)
            if old_due is None
            else still.filter(due_date=old_due)
        )
        count = still.update(
            deadline_status=status, due_date=due, warn_on=warn_on, severe_on=severe_on
        )
        if count == len(chunk):
            written.extend(chunk)
        elif count:
            done = set(
                Case.objects.filter(pk__in=ids, deadline_status=status, due_date=due).values_list(
                    "pk", flat=True
                )
            )
            written.extend(row for row in chunk if row[0] in done)
    return written


def _sweep_read(
    rows: QuerySet[Case], today: date, report: SweepReport
) -> dict[_Change, list[_Changed]]:
    """The cases whose stored clock columns are not what `today` makes them, computed in
    Python and grouped by state and by old and new values: the cases whose marks were
    never stored, and every open case once the calendar changed. Only the clock's columns
    are read (no model instances), and cases with the same clock are computed once; the
    pauses are read as the database's text and decoded once per distinct clock."""
    memo: dict[tuple[Any, ...], dict[str, Any]] = {}
    groups: dict[_Change, list[_Changed]] = {}
    rows = rows.order_by().annotate(pauses_text=Cast("pauses", TextField()))
    for row in rows.values_list(*_SWEEP_COLUMNS).iterator(chunk_size=SWEEP_BATCH):
        pk, number, state, value, unit, extension, received, pauses = row[:8]
        old: _Stored = row[8:12]
        report.recomputed += 1
        key = (value, unit, extension, received, pauses)
        if key not in memo:
            probe = Case(
                limit_value=value,
                limit_unit=unit,
                extension_days=extension,
                received_on=received,
                pauses=json.loads(pauses) if pauses else [],
            )
            memo[key] = clock_fields(probe, today)
        fields = memo[key]
        new: _Stored = (
            fields["deadline_status"],
            fields.get("due_date", old[1]),  # a paused clock keeps the due date it had
            fields["warn_on"],
            fields["severe_on"],
        )
        if new == old:
            continue
        groups.setdefault((state, old, new), []).append((pk, number or "", row[12], row[13]))
    return groups


def _sweep_marked(rows: QuerySet[Case], today: date) -> tuple[int, dict[str, list[_Changed]]]:
    """The running clocks with stored marks whose status `today` moves, one set-based
    UPDATE per new status (comparisons of `today` with the marks; no row is read into
    Python but the ones that become nearly due, overdue or severely overdue, for their
    warnings). Returns how many cases changed, and those to warn of by new status. The
    UPDATE repeats the comparisons, so a case a service moved in between gets the status of
    its fresher marks."""
    running = rows.filter(warn_on__isnull=False).exclude(deadline_status=DeadlineStatus.PAUSED)
    severe = Q(severe_on__isnull=False, severe_on__lte=today)
    when = {
        DeadlineStatus.SEVERELY_OVERDUE: severe,
        DeadlineStatus.OVERDUE: Q(due_date__lt=today) & ~severe,
        DeadlineStatus.WARNING: Q(warn_on__lte=today, due_date__gte=today),
        DeadlineStatus.ON_TIME: Q(warn_on__gt=today, due_date__gte=today),
    }
    changed = 0
    to_warn: dict[str, list[_Changed]] = {}
    for status, condition in when.items():
        moving = running.filter(condition).exclude(deadline_status=status).order_by()
        if status in _WARN_STATUSES:
            found = moving.values_list("id", "number", "assignee_id", "department_id")
            to_warn[status] = [(pk, number or "", a, d) for pk, number, a, d in found]
            count = moving.update(deadline_status=status) if to_warn[status] else 0
        else:
            count = moving.update(deadline_status=status)
        changed += count
    return changed, to_warn


@audited("cases.sweep", unless=lambda report: report.changed == 0)
def case_deadline_sweep(
    *, actor: StaffUser | None = None, today: date | None = None, ids: Iterable[int] = ()
) -> SweepReport:
    """Store every open case's deadline status as of `today`, and warn the approver of
    each case, and the heads of its department, when it becomes nearly due, overdue or
    severely overdue. Idempotent: a second run on the same day changes and sends nothing.

    Set-based, for tens of thousands of open cases (decision 0039): each move stores the
    days on which the clock becomes nearly due, overdue and severely overdue, so the sweep
    is one UPDATE per status comparing `today` with them (`_sweep_marked`). Only cases
    without stored marks, or every open case when the working-day calendar changed since
    the last run, have their clocks computed in Python (`_sweep_read`, `_sweep_write`)."""
    from onestop.core.audit import audit_record

    RULES.require(actor, Perm.SWEEP)
    today = today or timezone.localdate()
    report = SweepReport()
    rows = Case.objects.filter(state__in=OPEN_STATES)
    wanted = list(ids)
    if wanted:
        rows = rows.filter(pk__in=wanted)
    report.looked_at = rows.count()
    fingerprint = calendar_fingerprint()
    seen = SweepCalendar.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    recompute = (
        rows
        if seen != fingerprint
        else rows.filter(warn_on__isnull=True)
        .exclude(deadline_status=DeadlineStatus.PAUSED)
        .filter(Q(limit_value__isnull=False) | Q(limit_unit="immediate"))
        .exclude(received_on__isnull=True)
    )
    groups = _sweep_read(recompute, today, report)
    to_approver: dict[int, list[tuple[str, str]]] = {}
    to_department: dict[int, list[tuple[str, str]]] = {}

    def warn(status: str, written: list[_Changed]) -> None:
        report.warned += len(written)
        for _pk, number, assignee_id, department_id in written:
            line = (number, status)
            to_department.setdefault(department_id, []).append(line)
            if assignee_id:
                to_approver.setdefault(assignee_id, []).append(line)

    for change in sorted(groups, key=repr):
        written = _sweep_write(change, groups[change])
        report.changed += len(written)
        (_state, (old_status, *_old), (status, *_new)) = change
        if status in _WARN_STATUSES and status != old_status:
            warn(status, written)
    changed, to_warn = _sweep_marked(rows, today)
    report.changed += changed
    for status, moved in to_warn.items():
        warn(status, moved)
    if seen != fingerprint and not wanted:
        SweepCalendar.objects.update_or_create(
            pk=1, defaults={"fingerprint": fingerprint, "swept_on": today}
        )
    for assignee_id, warned in to_approver.items():
        _warn("deadline", assignee_id, warned, today)
    for department_id, warned in to_department.items():
        for head_id in selectors.department_head_ids(department_id):
            _warn("deadline-head", head_id, warned, today)
    if report.changed:
        audit_record(
            actor=actor,
            action="cases.sweep",
            object_type="cases.case",
            object_id=today.isoformat(),
            after={
                "looked_at": report.looked_at,
                "changed": report.changed,
                "recomputed": report.recomputed,
            },
        )
    return report


def cases_sweep(*, today: date | None = None) -> dict[str, int]:
    """The periodic sweep, as the platform: deadlines stored and warned, and applications
    whose one-time notice ran out without an answer closed as not accepted. Idempotent."""
    today = today or timezone.localdate()
    report = case_deadline_sweep(actor=None, today=today)
    lapsed = 0
    late = CorrectionNotice.objects.filter(
        case__state=CaseState.CORRECTION, answer_by__lt=today, answered_at__isnull=True
    ).values_list("case_id", flat=True)
    end_of_day = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    for case_id in list(late):
        case_correction_lapse(actor=None, case_id=case_id, now=end_of_day)
        lapsed += 1
    return {
        "looked_at": report.looked_at,
        "changed": report.changed,
        "warned": report.warned,
        "lapsed": lapsed,
    }
