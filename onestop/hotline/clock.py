"""The department's clock on a work order: from dispatch, a limit in working days (counted on
the city's calendar, holidays and 调休 included, through core.workdays.Deadline) or in hours
on the clock, paused while the citizen is asked a question.

A limit in working days ends at the end of its last day (local time); a limit in hours ends
that many hours after dispatch, plus the time it was paused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.utils import timezone

from onestop.core.workdays import WORKING_DAYS, Deadline
from onestop.hotline.enums import DueUnit

Pause = Sequence[str | None]


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def is_paused(pauses: Sequence[Pause]) -> bool:
    return bool(pauses) and pauses[-1][1] is None


def pause(pauses: Sequence[Pause], at: datetime) -> list[list[str | None]]:
    return [list(p) for p in pauses] + [[at.isoformat(), None]]


def resume(pauses: Sequence[Pause], at: datetime) -> list[list[str | None]]:
    resumed = [list(p) for p in pauses]
    if resumed and resumed[-1][1] is None:
        resumed[-1][1] = at.isoformat()
    return resumed


def due_at(
    started: datetime, limit: int, unit: str, pauses: Sequence[Pause] = ()
) -> datetime | None:
    """When the limit runs out; None while the clock is paused."""
    if is_paused(pauses):
        return None
    spans = [(_parse(p[0]), _parse(p[1])) for p in pauses]
    if unit == DueUnit.HOURS:
        paused = sum(((end - begin) for begin, end in spans if begin and end), timedelta())
        return started + timedelta(hours=limit) + paused
    local = timezone.localtime(started)
    deadline = Deadline(start=local.date(), limit=limit, unit=WORKING_DAYS)
    for begin, end in spans:
        if begin is None or end is None:
            continue
        deadline = deadline.pause(timezone.localtime(begin).date())
        deadline = deadline.resume(timezone.localtime(end).date())
    day = deadline.due_date()
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), local.tzinfo)


def far_due_at(started: datetime, due: datetime | None, factor: int = 3) -> datetime | None:
    """When an order is `factor` times over its limit (Signals' "factor 3" list)."""
    if due is None:
        return None
    return started + (due - started) * factor
