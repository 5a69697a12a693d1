"""What a hall manager reads first: the headline figures of a range of days, and the series
its charts draw (by day, by hour of the day, by rating level). Computed from the same
ticket facts and ratings as the tables (figures.py), so the cards, the charts, the table and
the CSV cannot disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.hall_statistics.figures import RatedVisit, Row, TicketFacts, row_compute, table
from onestop.ratings.enums import BAD_LEVELS, RatingLevel

# The hours a chart by hour always shows, so a quiet morning still reads as a day.
OPENING_HOURS = (8, 18)


@dataclass(frozen=True)
class Card:
    """One headline figure: its value as text, its unit, and a line that puts it in context."""

    key: str
    label: str | Promise
    value: str
    unit: str
    note: str


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")


def headline_cards(total: Row) -> list[Card]:
    """The figures that matter on one screen, from a table's row of all."""
    minutes, percent = _("min"), "%"
    return [
        Card(
            "taken",
            _("Numbers taken"),
            str(total.new_numbers),
            "",
            ngettext(
                "%(n)d ticket with transfers and conversions",
                "%(n)d tickets with transfers and conversions",
                total.issued,
            )
            % {"n": total.issued},
        ),
        Card(
            "served",
            _("Served"),
            str(total.served),
            "",
            _("of %(n)d called") % {"n": total.called},
        ),
        Card(
            "wait_mean",
            _("Average wait"),
            _minutes(total.wait_mean),
            minutes if total.wait_mean is not None else "",
            _("half waited at most %(m)s min") % {"m": _minutes(total.wait_p50)},
        ),
        Card(
            "wait_p90",
            _("9 in 10 waited at most"),
            _minutes(total.wait_p90),
            minutes if total.wait_p90 is not None else "",
            _("longest %(m)s min") % {"m": _minutes(total.wait_max)},
        ),
        Card(
            "no_shows",
            _("No-shows"),
            str(total.no_shows),
            "",
            _("%(p)s%% of those called") % {"p": _percent(total.no_show_rate)},
        ),
        Card(
            "satisfaction",
            _("Satisfaction"),
            _percent(total.satisfaction_share),
            percent if total.satisfaction_share is not None else "",
            ngettext("%(n)d rating", "%(n)d ratings", total.ratings) % {"n": total.ratings},
        ),
        Card(
            "on_time",
            _("Appointments on time"),
            _percent(total.on_time_share),
            percent if total.on_time_share is not None else "",
            ngettext("of %(n)d appointment", "of %(n)d appointments", total.appointments)
            % {"n": total.appointments},
        ),
        Card(
            "service",
            _("Median service time"),
            _minutes(total.service_p50),
            minutes if total.service_p50 is not None else "",
            _("9 in 10 within %(m)s min") % {"m": _minutes(total.service_p90)},
        ),
    ]


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def by_day(day_rows: Sequence[Row], start: date, end: date) -> dict[str, list[Any]]:
    """One point a day of the range, days without a ticket included (as 0, or no wait)."""
    rows = {row.key: row for row in day_rows}
    days = days_of(start, end)
    empty = Row(key="", label="")
    picked = [rows.get(day.isoformat(), empty) for day in days]
    return {
        "days": [day.isoformat() for day in days],
        "taken": [row.new_numbers for row in picked],
        "served": [row.served for row in picked],
        "wait_mean": [row.wait_mean for row in picked],
        "wait_p90": [row.wait_p90 for row in picked],
        "satisfaction": [
            None if row.satisfaction_share is None else round(row.satisfaction_share * 100, 1)
            for row in picked
        ],
    }


def by_hour(tickets: Sequence[TicketFacts]) -> dict[str, list[Any]]:
    """Numbers taken in each hour of the day (local time) over the range, and the average
    wait of the tickets issued in that hour: when the hall is busy, and when people wait."""
    taken: dict[int, int] = {}
    waits: dict[int, list[float]] = {}
    for ticket in tickets:
        hour = timezone.localtime(ticket.issued_at or ticket.arrived_at).hour
        if ticket.new_number:
            taken[hour] = taken.get(hour, 0) + 1
        if (wait := ticket.wait_seconds) is not None:
            waits.setdefault(hour, []).append(wait)
    seen = set(taken) | set(waits)
    first = min([OPENING_HOURS[0], *seen])
    last = max([OPENING_HOURS[1] - 1, *seen])
    hours = list(range(first, last + 1))
    return {
        "hours": [f"{hour:02d}:00" for hour in hours],
        "taken": [taken.get(hour, 0) for hour in hours],
        "wait_mean": [
            round(sum(waits[hour]) / len(waits[hour]) / 60, 1) if hour in waits else None
            for hour in hours
        ],
    }


def by_level(total: Row) -> list[dict[str, Any]]:
    """The ratings at each level, best first, each with its label in the reader's language."""
    return [
        {
            "level": level.value,
            "label": str(level.label),
            "count": total.levels.get(level.value, 0),
            "bad": level.value in BAD_LEVELS,
        }
        for level in RatingLevel
    ]


@dataclass(frozen=True)
class Overview:
    cards: list[Card]
    total: Row
    days: dict[str, list[Any]]
    hours: dict[str, list[Any]]
    levels: list[dict[str, Any]]

    @property
    def several_days(self) -> bool:
        return len(self.days["days"]) > 1


def overview(
    tickets: Sequence[TicketFacts],
    rated: Sequence[RatedVisit],
    start: date,
    end: date,
    *,
    tables: Mapping[str, Sequence[Row]] | None = None,
) -> Overview:
    """The overview of the days `start`..`end`, reusing the tables already computed from the
    same tickets (every table ends with the row of all; the day table gives the days)."""
    tables = tables or {}
    day_rows = tables.get("day") or table("day", tickets, rated)
    computed = next(iter(tables.values()), None)
    total = computed[-1] if computed else row_compute("*", "", list(tickets), list(rated))
    return Overview(
        cards=headline_cards(total),
        total=total,
        days=by_day(day_rows, start, end),
        hours=by_hour(tickets),
        levels=by_level(total),
    )


def chart_data(view: Overview, language: str) -> dict[str, Any]:
    """What the page's charts draw, with their words in the reader's language, for
    `json_script` (the page runs no inline script)."""
    return {
        "locale": "EN" if language.startswith("en") else "ZH",
        "days": view.days if view.several_days else None,
        "hours": view.hours,
        "levels": view.levels,
        "names": {
            "taken": _("Numbers taken"),
            "served": _("Served"),
            "wait_mean": _("Average wait (min)"),
            "wait_p90": _("9 in 10 waited at most (min)"),
            "satisfaction": _("Satisfaction (%)"),
            "count": _("Tickets"),
            "minutes": _("min"),
            "ratings": _("Ratings"),
        },
    }
