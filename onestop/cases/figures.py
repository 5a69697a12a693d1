"""The figures of cases per department and item over a range of days (the barometer builds
on them): applications accepted (受理), decisions and how many came in time, the working days
used against the days promised, corrections asked for (补正), refusals and cross-district
(通办) acceptances. Computed from the cases themselves, never stored by hand.

A case counts in the range by the day it was accepted; its decision, if any, is counted
with it, so that every rate compares like with like (the cases accepted in March, and what
became of them). Satisfaction (满意率, the share of ratings at 基本满意 or better, as the
hall's statistics count it) is over the ratings (好差评) of the cases that closed in the range:
a case is rated when it closes, and its acceptance may lie in another range."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.enums import CaseResult
from onestop.cases.models import Case
from onestop.cases.policies import RULES, Perm
from onestop.catalog.enums import LimitUnit
from onestop.core.access import Actor
from onestop.core.models import Department
from onestop.core.workdays import natural_days_between, working_days_between
from onestop.ratings import selectors as ratings
from onestop.ratings.enums import BAD_LEVELS

REFUSALS = frozenset({CaseResult.REFUSED})


@dataclass
class ItemFigures:
    department: str
    item_key: str
    item_name: str
    accepted: int = 0
    decided: int = 0
    on_time: int = 0
    refused: int = 0
    corrected: int = 0
    cross_district: int = 0
    # Over the decided cases whose limit is in days, each in its item's unit (working or
    # natural days); limits in hours and 即办 items are counted by `on_time` alone.
    timed: int = 0
    days_used: int = 0
    days_promised: int = 0
    # Ratings of the cases closed in the range, and how many were at least 基本满意.
    rated: int = 0
    satisfied: int = 0

    def _share(self, part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.on_time, self.decided)

    @property
    def refusal_rate(self) -> float | None:
        return self._share(self.refused, self.decided)

    @property
    def correction_rate(self) -> float | None:
        return self._share(self.corrected, self.accepted)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._share(self.satisfied, self.rated)

    @property
    def average_days_used(self) -> float | None:
        return self.days_used / self.timed if self.timed else None

    @property
    def average_days_promised(self) -> float | None:
        return self.days_promised / self.timed if self.timed else None


DAYS_BETWEEN: dict[str, Callable[[date, date], int]] = {
    LimitUnit.WORKING_DAYS: working_days_between,
    LimitUnit.NATURAL_DAYS: natural_days_between,
}


def case_figures(actor: Actor | None, first: date, last: date) -> list[ItemFigures]:
    """One row per department and item, of the cases the actor may count (their own
    department's; the platform admin every one), busiest first."""
    coverage = RULES.coverage(actor, Perm.FIGURES)
    rows = (
        Case.objects.filter(coverage.q(department="department_id"))
        .filter(accepted_at__date__range=(first, last))
        .values_list(
            "department_id",
            "department__name",
            "item_key",
            "item_name",
            "accepted_at",
            "decided_at",
            "due_date",
            "result",
            "limit_value",
            "limit_unit",
            "region_code",
            "centre__region__code",
            "notice__id",
        )
        .order_by()
    )
    figures: dict[tuple[int, str], ItemFigures] = {}
    for (
        department_id,
        department,
        item_key,
        item_name,
        accepted_at,
        decided_at,
        due_date,
        result,
        limit_value,
        limit_unit,
        item_region,
        centre_region,
        notice_id,
    ) in rows.iterator(chunk_size=2000):
        row = figures.setdefault(
            (department_id, item_key), ItemFigures(department, item_key, item_name)
        )
        row.accepted += 1
        row.corrected += notice_id is not None
        # 通办: a district's item accepted at another district's centre.
        row.cross_district += bool(
            len(item_region) >= 6 and centre_region and centre_region[:6] != item_region[:6]
        )
        if decided_at is None:
            continue
        decided_on = timezone.localdate(decided_at)
        row.decided += 1
        row.refused += result in REFUSALS
        row.on_time += due_date is None or decided_on <= due_date
        between = DAYS_BETWEEN.get(limit_unit)
        if between is not None and limit_value:
            row.timed += 1
            row.days_used += between(timezone.localdate(accepted_at), decided_on)
            row.days_promised += limit_value
    _count_ratings(figures, coverage.department_ids, coverage.everywhere, first, last)
    return sorted(figures.values(), key=lambda f: (-f.accepted, f.department, f.item_name))


def _count_ratings(
    figures: dict[tuple[int, str], ItemFigures],
    department_ids: Iterable[int],
    everywhere: bool,
    first: date,
    last: date,
) -> None:
    """Add the ratings of the cases closed in the range to the rows of their department and
    item; an item rated but with no case accepted in the range gets a row of its own."""
    rated = ratings.case_rating_rows(
        department_ids=None if everywhere else department_ids, first=first, last=last
    )
    if not rated:
        return
    missing = {(r.department_id, r.item_key) for r in rated} - figures.keys()
    names = dict(
        Department.objects.filter(pk__in={d for d, _ in missing}).values_list("pk", "name")
    )
    for rating in rated:
        key = (rating.department_id, rating.item_key)
        if key not in figures:
            figures[key] = ItemFigures(
                names.get(rating.department_id, ""), rating.item_key, rating.item_name
            )
    for rating in rated:
        row = figures[(rating.department_id, rating.item_key)]
        row.rated += 1
        row.satisfied += rating.level not in BAD_LEVELS


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _average(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def figures_csv(rows: Iterable[ItemFigures]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Department"),
            _("Item key"),
            _("Service"),
            _("Accepted"),
            _("Decided"),
            _("On time (%)"),
            _("Days used (average)"),
            _("Days promised (average)"),
            _("Corrections (%)"),
            _("Refusals (%)"),
            _("Cross-district"),
            _("Ratings"),
            _("Satisfaction (%)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.department,
                row.item_key,
                row.item_name,
                row.accepted,
                row.decided,
                _percent(row.on_time_rate),
                _average(row.average_days_used),
                _average(row.average_days_promised),
                _percent(row.correction_rate),
                _percent(row.refusal_rate),
                row.cross_district,
                row.rated,
                _percent(row.satisfaction_rate),
            ]
        )
    return out.getvalue()
