"""Reading centres and when they are open.

A centre opens on a date by its timetable for that weekday, read against the working-day
calendar (core.workdays.day_kind): closed on holidays, whatever the timetable says, unless
the centre stays open through them (`open_on_holidays`, 节假日不打烊: then it keeps that
weekday's hours); on an adjusted working day (调休, a Saturday or Sunday made working) it
keeps the hours of its first timetabled weekday, since the day replaces a weekday; on a
plain weekend it opens only if its timetable has hours for that day (some halls open on
Saturdays).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from onestop.centres.enums import ErrorCode
from onestop.centres.models import Centre, OpeningSession
from onestop.core.errors import NotFound
from onestop.core.workdays import day_kind


@dataclass(frozen=True)
class Session:
    opens: time
    closes: time

    def holds(self, moment: time) -> bool:
        return self.opens <= moment < self.closes


def centres_active() -> QuerySet[Centre]:
    return Centre.objects.filter(is_active=True).select_related("region")


def centre_get(code: str) -> Centre:
    try:
        return centres_active().get(code=code)
    except Centre.DoesNotExist:
        raise NotFound(
            ErrorCode.CENTRE_NOT_FOUND, _("There is no service centre %(code)s.") % {"code": code}
        ) from None


def centre_get_by_id(centre_id: int) -> Centre:
    try:
        return centres_active().get(pk=centre_id)
    except Centre.DoesNotExist:
        raise NotFound(ErrorCode.CENTRE_NOT_FOUND, _("There is no such service centre.")) from None


def centres_in_region(region_code: str) -> QuerySet[Centre]:
    """Centres in a region or below it (region codes nest by prefix)."""
    return centres_active().filter(region__code__startswith=region_code)


def centre_timetable(centre: Centre) -> dict[int, list[Session]]:
    table: dict[int, list[Session]] = {weekday: [] for weekday in range(7)}
    for row in OpeningSession.objects.filter(centre=centre).order_by("weekday", "opens"):
        table[row.weekday].append(Session(row.opens, row.closes))
    return table


def centre_sessions_on(centre: Centre, day: date) -> list[Session]:
    """The spans the centre is open on `day`, in order; empty when it is closed."""
    kind = day_kind(day)
    if kind == "holiday" and not centre.open_on_holidays:
        return []
    table = centre_timetable(centre)
    if kind == "working" and day.weekday() >= 5:
        weekday = next((d for d in range(5) if table[d]), None)
        return table[weekday] if weekday is not None else []
    return table[day.weekday()]


def centre_is_open_at(centre: Centre, moment: datetime | None = None) -> bool:
    local = timezone.localtime(moment or timezone.now())
    return any(s.holds(local.time()) for s in centre_sessions_on(centre, local.date()))


@dataclass(frozen=True)
class OpeningLine:
    """Weekdays with the same hours, as a page says them: "Mon–Fri 09:00–12:00, 13:00–17:00"."""

    days: str
    hours: str
    closed: bool


def _session_text(sessions: list[Session]) -> str:
    def clock(moment: time) -> str:
        # A session open to the last moment of the day reads as 24:00.
        return "24:00" if moment >= time(23, 59) else f"{moment:%H:%M}"

    return ", ".join(f"{clock(s.opens)}–{clock(s.closes)}" for s in sessions)


def opening_summary(centre: Centre) -> list[OpeningLine]:
    """The weekly timetable in runs of weekdays with the same hours, Monday first, closed
    days included: what the booking page says, so it agrees with the days that have slots."""
    table = centre_timetable(centre)
    runs: list[tuple[int, int, list[Session]]] = []
    for weekday in range(7):
        if runs and runs[-1][2] == table[weekday]:
            runs[-1] = (runs[-1][0], weekday, runs[-1][2])
        else:
            runs.append((weekday, weekday, table[weekday]))
    names = WEEKDAYS_ABBR
    return [
        OpeningLine(
            days=str(names[first]) if first == last else f"{names[first]}–{names[last]}",
            hours=_session_text(sessions) if sessions else _("closed"),
            closed=not sessions,
        )
        for first, last, sessions in runs
    ]


def centre_names(centre_ids: set[int]) -> dict[int, str]:
    """Names of centres by id, in one query (for pages listing many scoped assignments)."""
    if not centre_ids:
        return {}
    return dict(Centre.objects.filter(pk__in=centre_ids).values_list("pk", "name"))
