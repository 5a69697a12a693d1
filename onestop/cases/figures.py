"""The figures of cases per department and item over a range of days (the barometer builds
on them): applications accepted (受理), decisions and how many came in time, the working days
used against the days promised, corrections asked for (补正), refusals and cross-district
(通办) acceptances. Computed from the cases themselves, never stored by hand.

A case counts in the range by the day it was accepted; its decision, if any, is counted
with it, so that every rate compares like with like (the cases accepted in March, and what
became of them)."""

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
from onestop.core.workdays import natural_days_between, working_days_between

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
    figures: dict[tuple[str, str], ItemFigures] = {}
    for (
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
            (department, item_key), ItemFigures(department, item_key, item_name)
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
    return sorted(figures.values(), key=lambda f: (-f.accepted, f.department, f.item_name))


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
            ]
        )
    return out.getvalue()
