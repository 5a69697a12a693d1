"""The working-day calendar (工作日) and deadlines that count in it.

Whether a date is a working day is decided, first to last, by:

1. a `CalendarOverride` row for the date, which a platform administrator keeps: next year's
   holidays once the State Council announces them, a local closure, a correction. It always
   wins, so the platform never waits for a package release to follow a notice;
2. the `chinesecalendar` package, which knows the official public holidays and adjusted
   working days (调休) for the years it ships data for;
3. for any other year, Monday to Friday. The package raises NotImplementedError for such a
   year (2027 until its holidays are announced, and before 2004); we log a WARNING once per
   year per process and go on, because a deadline a few days off is better than a crash.

Counting conventions (docs/decisions/0002-working-days.md):

- `add_working_days(D, n)` is the n-th working day after D, D itself not counted. An
  application accepted on day D with a limit of 5 working days is due by the end of
  `add_working_days(D, 5)`, whatever weekday D is.
- `working_days_between(a, b)` counts the working days in (a, b]: a excluded, b included.
  So `add_working_days(a, working_days_between(a, b)) == b` for a working day b after a.

Overrides are read with one query per date range, never one per day, and not cached between
calls, so an administrator's change is seen by the next call in every process.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound
from onestop.core.models import CalendarOverride
from onestop.core.policies import RULES, Perm
from onestop.core.service import audited

logger = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)

_years_warned: set[int] = set()
_warn_lock = threading.Lock()


def _official_is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        with _warn_lock:
            first_time = day.year not in _years_warned
            _years_warned.add(day.year)
        if first_time:
            logger.warning(
                "No official holiday calendar for %s: counting Monday to Friday as working "
                "days. Enter that year's holidays and adjusted working days as calendar "
                "overrides once they are announced.",
                day.year,
            )
        return day.weekday() < 5


class _Calendar:
    """Working-day answers for one computation, reading overrides a range at a time.

    The loaded range only grows, contiguously, so a walk across many days costs a query
    every `_STEP` days at most.
    """

    _STEP = 62

    def __init__(self) -> None:
        self._first: date | None = None
        self._last: date | None = None
        self._overrides: dict[date, bool] = {}

    def _read(self, first: date, last: date) -> None:
        rows = CalendarOverride.objects.filter(date__range=(first, last)).values_list(
            "date", "is_working_day"
        )
        self._overrides.update(rows)

    def load(self, first: date, last: date) -> None:
        if first > last:
            return
        if self._first is None or self._last is None:
            self._read(first, last)
            self._first, self._last = first, last
            return
        if first < self._first:
            self._read(first, self._first - ONE_DAY)
            self._first = first
        if last > self._last:
            self._read(self._last + ONE_DAY, last)
            self._last = last

    def is_working_day(self, day: date) -> bool:
        step = timedelta(days=self._STEP)
        if self._first is None or self._last is None:
            self.load(day, day)
        elif day > self._last:
            self.load(self._first, day + step)
        elif day < self._first:
            self.load(day - step, self._last)
        override = self._overrides.get(day)
        return override if override is not None else _official_is_working_day(day)

    def count(self, first: date, last: date) -> int:
        """Working days in [first, last]."""
        self.load(first, last)
        return sum(self.is_working_day(day) for day in _days(first, last))

    def walk(self, start: date, n: int) -> date:
        """The |n|-th working day after start (before it when n < 0); n = 0: start if it
        is a working day, else the next one."""
        direction = ONE_DAY if n >= 0 else -ONE_DAY
        # A span that almost always holds n working days, so one query usually does.
        horizon = start + direction * (abs(n) * 3 // 2 + 20)
        self.load(min(start, horizon), max(start, horizon))
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            return day
        left = abs(n)
        while left:
            day += direction
            left -= self.is_working_day(day)
        return day


def calendar_fingerprint() -> str:
    """A digest of everything that decides working days: the overrides (one query; a
    handful of rows a year) and the version of the official calendar package. Anything
    stored from a count of working days was counted under the calendar of this digest."""
    rows = CalendarOverride.objects.order_by("date").values_list("date", "is_working_day")
    text = ";".join(f"{day.isoformat()}={int(working)}" for day, working in rows)
    version = getattr(chinese_calendar, "__version__", "")
    return hashlib.sha256(f"{version}|{text}".encode()).hexdigest()


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


# --- Selectors ---------------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    return _Calendar().is_working_day(d)


DayKind = Literal["working", "rest", "holiday"]


def day_kind(d: date) -> DayKind:
    """A working day; a plain weekend rest day; or a holiday (a public holiday, a day off
    in lieu, a closure entered as an override). Places open at weekends close on holidays."""
    if is_working_day(d):
        return "working"
    if d.weekday() < 5 or CalendarOverride.objects.filter(date=d).exists():
        return "holiday"
    try:
        _, holiday = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return "rest"
    return "holiday" if holiday is not None else "rest"


def add_working_days(start: date, n: int) -> date:
    """The date n working days after `start`, which is not counted itself.

    An application accepted on day D with a limit of 5 working days is due by the end of
    `add_working_days(D, 5)`. n = 0 gives `start` if it is a working day, else the next
    working day; a negative n counts back: the |n|-th working day before `start`.
    """
    return _Calendar().walk(start, n)


def working_days_between(a: date, b: date) -> int:
    """The working days in (a, b]: a excluded, b included; negative when b is before a."""
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    return _Calendar().count(a + ONE_DAY, b)


def add_natural_days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def natural_days_between(a: date, b: date) -> int:
    """Calendar days in (a, b]; negative when b is before a."""
    return (b - a).days


def next_working_day(d: date) -> date:
    """The first working day after `d` (never `d` itself)."""
    return add_working_days(d, 1)


def working_days_in(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
    calendar = _Calendar()
    calendar.load(first, last)
    return [day for day in _days(first, last) if calendar.is_working_day(day)]


# --- Services ----------------------------------------------------------------------------------


def _summary(override: CalendarOverride) -> dict[str, Any]:
    return {
        "date": override.date.isoformat(),
        "is_working_day": override.is_working_day,
        "name": override.name,
        "source": override.source,
    }


@audited("calendar_override.set")
def calendar_override_set(
    *,
    actor: Actor | None,
    date: date,
    is_working_day: bool,
    name: str = "",
    source: str = "",
    reason: str = "",
) -> CalendarOverride:
    """Declare `date` a working day or a day off, whatever the official calendar says."""
    RULES.require(actor, Perm.CALENDAR_MANAGE)
    name, source = name.strip(), source.strip()
    for field, value in (("name", name), ("source", source)):
        limit = getattr(CalendarOverride._meta.get_field(field), "max_length", None)
        if limit is not None and len(value) > limit:
            raise DomainError(
                ErrorCode.INVALID_CALENDAR_OVERRIDE,
                _("The %(field)s may be at most %(limit)d characters long.")
                % {"field": field, "limit": limit},
                field=field,
            )
    with transaction.atomic():
        override = CalendarOverride.objects.select_for_update().filter(date=date).first()
        before = _summary(override) if override is not None else None
        if override is None:
            override = CalendarOverride(date=date)
        override.is_working_day = is_working_day
        override.name = name
        override.source = source
        override.save()
        audit_record(
            actor=actor,
            action="calendar_override.set",
            object_type="core.calendaroverride",
            object_id=date.isoformat(),
            before=before,
            after=_summary(override),
            reason=reason,
        )
    return override


@audited("calendar_override.remove")
def calendar_override_remove(*, actor: Actor | None, date: date, reason: str = "") -> None:
    """Drop the override for `date`, so that the official calendar decides again."""
    RULES.require(actor, Perm.CALENDAR_MANAGE)
    with transaction.atomic():
        override = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if override is None:
            raise NotFound(
                ErrorCode.CALENDAR_OVERRIDE_NOT_FOUND,
                _("There is no calendar override for %(date)s.") % {"date": date.isoformat()},
                date=date.isoformat(),
            )
        before = _summary(override)
        override.delete()
        audit_record(
            actor=actor,
            action="calendar_override.remove",
            object_type="core.calendaroverride",
            object_id=date.isoformat(),
            before=before,
            reason=reason,
        )


# --- Deadlines ---------------------------------------------------------------------------------

DeadlineUnit = Literal["working_days", "natural_days"]
WORKING_DAYS: DeadlineUnit = "working_days"
NATURAL_DAYS: DeadlineUnit = "natural_days"


@dataclass(frozen=True)
class DeadlineMarks:
    """Where a running deadline crosses its lines (`Deadline.marks`)."""

    due_date: date
    warn_on: date
    severe_on: date | None


@dataclass(frozen=True)
class Deadline:
    """A time limit (时限) that runs from `start` and can be paused (补正, hearings,
    expert review) and resumed. Immutable: `pause` and `resume` return a new Deadline.

    Counting: the days after `start` are counted one by one, working days only for
    "working_days", every day for "natural_days". The due date is the day on which the
    `limit`-th counted day falls: with no pause, `add_working_days(start, limit)` or
    `start + limit` days.

    Pausing: `pause(on=P)` then `resume(on=R)` stops the clock after day P. P itself still
    counts; the days in (P, R] do not; counting goes on from R + 1, as if R were a new
    acceptance day. A pause that starts on or before the due date therefore moves it later
    by the working days (or the natural days) in (P, R]; a pause that starts after the due
    date changes nothing, since the limit had already run out. While the clock is stopped
    the due date is not known, and `due_date()` refuses to guess.

    Natural days: when the last day falls on a day off (a weekend or public holiday), the
    deadline ends on the next working day instead, as the Civil Code (art. 203) and the
    procedure laws provide for periods counted in days.
    """

    start: date
    limit: int
    unit: DeadlineUnit = WORKING_DAYS
    pauses: tuple[tuple[date, date | None], ...] = ()

    def __post_init__(self) -> None:
        if self.limit < 0:
            raise ValueError(f"a deadline's limit cannot be negative: {self.limit}")
        if self.unit not in (WORKING_DAYS, NATURAL_DAYS):
            raise ValueError(f"unknown deadline unit {self.unit!r}")

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def pause(self, on: date) -> Deadline:
        if self.is_paused:
            raise DomainError(
                ErrorCode.DEADLINE_STATE,
                _("The deadline is already paused, since %(date)s.")
                % {"date": self.pauses[-1][0].isoformat()},
            )
        earliest = self.pauses[-1][1] if self.pauses else self.start
        if earliest is not None and on < earliest:
            raise DomainError(
                ErrorCode.INVALID_DATE_RANGE,
                _("A deadline cannot be paused on %(on)s, before %(earliest)s.")
                % {"on": on.isoformat(), "earliest": earliest.isoformat()},
            )
        return replace(self, pauses=(*self.pauses, (on, None)))

    def resume(self, on: date) -> Deadline:
        if not self.is_paused:
            raise DomainError(ErrorCode.DEADLINE_STATE, _("The deadline is not paused."))
        paused_on = self.pauses[-1][0]
        if on < paused_on:
            raise DomainError(
                ErrorCode.INVALID_DATE_RANGE,
                _("A deadline paused on %(paused)s cannot resume on %(on)s, before it.")
                % {"paused": paused_on.isoformat(), "on": on.isoformat()},
            )
        return replace(self, pauses=(*self.pauses[:-1], (paused_on, on)))

    # The clock: which days count, and how many have.

    def _is_paused_on(self, day: date) -> bool:
        return any(p < day and (r is None or day <= r) for p, r in self.pauses)

    def _counts(self, calendar: _Calendar, day: date) -> bool:
        if day <= self.start or self._is_paused_on(day):
            return False
        return self.unit == NATURAL_DAYS or calendar.is_working_day(day)

    def _counted(self, calendar: _Calendar, first: date, last: date) -> int:
        """Counted days in [first, last]."""
        calendar.load(first, last)
        return sum(self._counts(calendar, day) for day in _days(first, last))

    def _due(self, calendar: _Calendar) -> date | None:
        open_since = self.pauses[-1][0] if self.is_paused else None
        calendar.load(self.start, self.start + timedelta(days=self.limit * 3 // 2 + 20))
        day, counted = self.start, 0
        while counted < self.limit:
            day += ONE_DAY
            if open_since is not None and day > open_since:
                return None
            counted += self._counts(calendar, day)
        while not calendar.is_working_day(day):
            # Only a natural-days deadline (or a zero limit) can end on a day off.
            day += ONE_DAY
        return day

    def due_date(self) -> date:
        """The last day to act (by its end). Refused while paused before running out."""
        due = self._due(_Calendar())
        if due is None:
            raise DomainError(
                ErrorCode.DEADLINE_STATE,
                _("The deadline is paused since %(date)s; it has no due date until it resumes.")
                % {"date": self.pauses[-1][0].isoformat()},
            )
        return due

    def remaining(self, on: date) -> int:
        """Days of the unit left after `on` up to the due date; negative once overdue
        (minus the counted days since the due date). While paused: what is left to count."""
        calendar = _Calendar()
        due = self._due(calendar)
        if due is None:
            return self.limit - self._counted(calendar, self.start, on)
        if on <= due:
            return self._counted(calendar, on + ONE_DAY, due)
        return -self._counted(calendar, due + ONE_DAY, on)

    def marks(self, *, remaining_at_most: int, overdue_by: int) -> DeadlineMarks:
        """The days on which a running clock crosses its lines, with one calendar read: the
        due date, the first day on which at most `remaining_at_most` days are left
        (`remaining(d) <= remaining_at_most`, no later than the due date), and the first day
        on which `overdue_by` counted days have passed since the due date
        (`-remaining(d) >= overdue_by`; None when `overdue_by` is not positive). Since
        `remaining` only falls as the days go by, each line, once crossed, stays crossed:
        a stored mark answers for every later day with a date comparison. Refused while
        paused (the clock stands still, and so do its marks)."""
        if self.is_paused:
            raise DomainError(
                ErrorCode.DEADLINE_STATE,
                _("The deadline is paused since %(date)s; it has no due date until it resumes.")
                % {"date": self.pauses[-1][0].isoformat()},
            )
        calendar = _Calendar()
        # One read for the whole walk, up to the severe line (as `_due` reckons its span).
        days = self.limit + max(overdue_by, 0)
        calendar.load(self.start, self.start + timedelta(days=days * 3 // 2 + 20))
        due = self._due(calendar)
        assert due is not None  # not paused
        # Backwards from the due date: remaining(d - 1) = remaining(d) + counts(d).
        day, left = due, 0
        while day > self.start:
            before = left + self._counts(calendar, day)
            if before > remaining_at_most:
                break
            day, left = day - ONE_DAY, before
        warn_on = day
        severe_on = None
        if overdue_by > 0:
            severe_on, past = due, 0
            while past < overdue_by:
                severe_on += ONE_DAY
                past += self._counts(calendar, severe_on)
        return DeadlineMarks(due_date=due, warn_on=warn_on, severe_on=severe_on)

    def is_overdue(self, on: date) -> bool:
        due = self._due(_Calendar())
        return due is not None and on > due
