"""The columns of every statistics table, shared by the page, the CSV export and the API:
one list, so the three cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.hall_statistics.figures import Row
from onestop.ratings.enums import RatingLevel

COUNT, MINUTES, SHARE, SCORE = "count", "minutes", "share", "score"


@dataclass(frozen=True)
class Column:
    name: str
    header: str | Promise
    unit: str
    group: str | Promise

    def value(self, row: Row) -> Any:
        if self.name.startswith("level_"):
            return row.levels.get(int(self.name.removeprefix("level_")), 0)
        return getattr(row, self.name)


_TICKETS = _("Tickets")
_WAIT = _("Wait, issue to first call (min)")
_SERVICE = _("Service, start to finish (min)")
_APPOINTMENTS = _("Appointments")
_RATINGS = _("Ratings")
_ESTIMATES = _("Estimated wait")

COLUMNS: tuple[Column, ...] = (
    Column("issued", _("Issued"), COUNT, _TICKETS),
    Column("new_numbers", _("New numbers"), COUNT, _TICKETS),
    Column("called", _("Called"), COUNT, _TICKETS),
    Column("served", _("Served"), COUNT, _TICKETS),
    Column("no_shows", _("No-shows"), COUNT, _TICKETS),
    Column("no_show_rate", _("No-show rate"), SHARE, _TICKETS),
    Column("wait_mean", _("Average wait"), MINUTES, _WAIT),
    Column("wait_p50", _("Wait p50"), MINUTES, _WAIT),
    Column("wait_p90", _("Wait p90"), MINUTES, _WAIT),
    Column("wait_max", _("Wait max"), MINUTES, _WAIT),
    Column("service_p50", _("Service p50"), MINUTES, _SERVICE),
    Column("service_p90", _("Service p90"), MINUTES, _SERVICE),
    Column("service_max", _("Service max"), MINUTES, _SERVICE),
    Column("appointments", _("Appointments"), COUNT, _APPOINTMENTS),
    Column("on_time_share", _("On time"), SHARE, _APPOINTMENTS),
    Column("lateness_p50", _("Arrival vs slot p50 (min)"), MINUTES, _APPOINTMENTS),
    Column("lateness_max", _("Arrival vs slot max (min)"), MINUTES, _APPOINTMENTS),
    Column("ratings", _("Ratings"), COUNT, _RATINGS),
    *(Column(f"level_{level.value}", level.label, COUNT, _RATINGS) for level in RatingLevel),
    Column("satisfaction_share", _("Satisfied (basically satisfied or better)"), SHARE, _RATINGS),
    Column("mean_score", _("Mean score (1–5)"), SCORE, _RATINGS),
    Column("estimates", _("Estimates"), COUNT, _ESTIMATES),
    Column("estimate_mae", _("Mean absolute error (min)"), MINUTES, _ESTIMATES),
    Column("estimate_bias", _("Mean error, actual − estimate (min)"), MINUTES, _ESTIMATES),
    Column("estimate_within_share", _("Within the band"), SHARE, _ESTIMATES),
)


def column_groups() -> list[tuple[str | Promise, int]]:
    """(group header, how many columns) in order, for a two-row table head."""
    groups: list[tuple[str | Promise, int]] = []
    for column in COLUMNS:
        if groups and groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    return groups


def cell_text(column: Column, row: Row) -> str:
    """A value as the page and the CSV show it: shares in percent, minutes to 0.1."""
    value = column.value(row)
    if value is None:
        return ""
    if column.unit == SHARE:
        return f"{value * 100:.1f}"
    if column.unit in (MINUTES, SCORE):
        return f"{value:g}" if column.unit == SCORE else f"{value:.1f}"
    return str(value)
