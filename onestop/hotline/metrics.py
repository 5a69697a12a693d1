"""The hotline's figures, computed from call records and work orders, never typed in: calls
per day, line and hour, answer rate, average speed of answer, abandonment, first-contact
resolution; orders per kind, class, district and department; on-time, return, reopen and
satisfaction rates; growth on the year before; the top classes this week against last.

A year holds millions of orders, so the figures are added up from daily rollups (decision
0030): for each closed day, `rollup_days` stores the day's counts in total and by one
dimension at a time (OrderRollup: kind, department, district, class; CallRollup: hour,
line). The figures for a range read those rows for the days rolled up and count the rest
(today, a day not rolled up yet) live from the orders and calls, with the very same grouped
queries that fill the rollups, so both ways give the same numbers. Orders are counted on the
day they were created and keep changing after it (replied, visited, reopened): every change
to an order of an earlier day marks that day dirty (enums._order_timeline), and the next run
computes it again; a day's figures are therefore as fresh as the last run.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Expression, F, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractHour, Substr, TruncDate
from django.utils import timezone

from onestop.core.models import Department, Region
from onestop.hotline.enums import CallOutcome, Channel, OrderState, Satisfaction
from onestop.hotline.models import (
    CallRecord,
    CallRollup,
    Category,
    Line,
    OrderPart,
    OrderRollup,
    RollupDay,
    WorkOrder,
)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time(0), tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz),
    )


@dataclass
class Metrics:
    first: date
    last: date
    calls: int = 0
    answered: int = 0
    abandoned: int = 0
    callbacks: int = 0
    answer_rate: float | None = None
    abandonment_rate: float | None = None
    average_speed_of_answer: float | None = None
    first_contact_resolution: float | None = None
    orders: int = 0
    on_time_rate: float | None = None
    return_rate: float | None = None
    reopen_rate: float | None = None
    satisfaction_rate: float | None = None
    year_on_year: float | None = None
    calls_by_day: list[dict[str, Any]] = field(default_factory=list)
    calls_by_hour: list[dict[str, Any]] = field(default_factory=list)
    calls_by_line: list[dict[str, Any]] = field(default_factory=list)
    orders_by_kind: list[dict[str, Any]] = field(default_factory=list)
    orders_by_department: list[dict[str, Any]] = field(default_factory=list)
    orders_by_district: list[dict[str, Any]] = field(default_factory=list)
    top_categories: list[dict[str, Any]] = field(default_factory=list)
    # Assisting departments' parts (decision 0038), by the day they were added, counted live.
    parts: int = 0
    parts_on_time_rate: float | None = None
    parts_return_rate: float | None = None
    parts_overdue: int = 0


ORDER_COUNTS = (
    "orders",
    "phone",
    "first_contact",
    "replied",
    "on_time",
    "dispatched",
    "returned",
    "reopened",
    "visited",
    "satisfied",
    "open",
)
CALL_COUNTS = ("calls", "answered", "abandoned", "callbacks", "answered_wait_seconds")


def _order_aggregates() -> dict[str, Any]:
    return {
        "orders": Count("id"),
        "phone": Count("id", filter=Q(channel=Channel.PHONE)),
        "first_contact": Count("id", filter=Q(first_contact_resolution=True)),
        "replied": Count("id", filter=Q(replied_on_time__isnull=False)),
        "on_time": Count("id", filter=Q(replied_on_time=True)),
        "dispatched": Count("id", filter=Q(dispatched_at__isnull=False)),
        "returned": Count("id", filter=Q(return_count__gt=0)),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "visited": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count(
            "id",
            filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]),
        ),
        "open": Count("id", filter=~Q(state=OrderState.CLOSED)),
    }


def _call_aggregates() -> dict[str, Any]:
    answered = Q(outcome=CallOutcome.ANSWERED)
    return {
        "calls": Count("id"),
        "answered": Count("id", filter=answered),
        "abandoned": Count("id", filter=Q(outcome=CallOutcome.ABANDONED)),
        "callbacks": Count("id", filter=Q(outcome=CallOutcome.CALLBACK)),
        "answered_wait_seconds": Sum("wait_seconds", filter=answered, default=0),
    }


# The dimensions the rollups keep, each with the key it groups by.
def _order_keys() -> dict[str, Expression | F | Value]:
    return {
        "total": Value(""),
        "kind": F("kind"),
        "department": F("department__code"),
        "district": Substr("region_code", 1, 6),
        "category": F("category__code"),
    }


def _call_keys() -> dict[str, Expression | F | Value]:
    return {"total": Value(""), "hour": ExtractHour("arrived_at"), "line": F("line__code")}


def _key(dimension: str, value: Any) -> str:
    if value is None:
        return ""
    return f"{value:02d}" if dimension == "hour" else str(value)


def _live(
    rows: QuerySet[Any],
    keys: dict[str, Any],
    aggregates: dict[str, Any],
    dimensions: Iterable[str],
    *,
    by_day: bool,
) -> Iterator[tuple[date | None, str, str, dict[str, int]]]:
    """(day or None, dimension, key, counts) for `rows`: one grouped query per dimension."""
    for dimension in dimensions:
        grouped = rows.annotate(key=keys[dimension])
        names = ["day", "key"] if by_day else ["key"]
        for row in grouped.values(*names).annotate(**aggregates).order_by():
            counts = {name: row[name] or 0 for name in aggregates}
            yield row.get("day"), dimension, _key(dimension, row["key"]), counts


def _orders_between(begin: datetime, end: datetime) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(created_at__gte=begin, created_at__lt=end).annotate(
        day=TruncDate("created_at")
    )


def _calls_between(begin: datetime, end: datetime) -> QuerySet[CallRecord]:
    return CallRecord.objects.filter(arrived_at__gte=begin, arrived_at__lt=end).annotate(
        day=TruncDate("arrived_at")
    )


# --- Rollups ----------------------------------------------------------------------------------


def _rolled_up(first: date, last: date) -> set[date]:
    return set(
        RollupDay.objects.filter(day__range=(first, last), computed_at__isnull=False)
        .order_by()
        .values_list("day", flat=True)
    )


def _runs(days: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Consecutive days as (first, last) ranges."""
    ordered = sorted(days)
    while ordered:
        first = last = ordered.pop(0)
        while ordered and ordered[0] == last + timedelta(days=1):
            last = ordered.pop(0)
        yield first, last


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def rollup_day(day: date, *, now: datetime | None = None) -> int:
    """Compute one closed day's rollup rows again, in place of the ones there; returns how
    many rows it wrote. Idempotent: the same orders and calls give the same rows."""
    now = now or timezone.now()
    # The day's marker exists (computed or not) before its rows are computed, so that a
    # change to the day's orders committed meanwhile finds a row to mark dirty.
    RollupDay.objects.get_or_create(day=day, defaults={"dirty": True, "computed_at": None})
    begin, end = _span(day, day)
    with transaction.atomic():
        # Locked for the computation: a change to the day's orders waits for it to commit
        # and then marks the day dirty again; one committed before is counted.
        RollupDay.objects.select_for_update().filter(day=day).update(dirty=False)
        OrderRollup.objects.filter(day=day).delete()
        CallRollup.objects.filter(day=day).delete()
        orders = [
            OrderRollup(day=day, dimension=dimension, key=key, **counts)
            for _, dimension, key, counts in _live(
                _orders_between(begin, end),
                _order_keys(),
                _order_aggregates(),
                _order_keys(),
                by_day=False,
            )
        ]
        calls = [
            CallRollup(day=day, dimension=dimension, key=key, **counts)
            for _, dimension, key, counts in _live(
                _calls_between(begin, end),
                _call_keys(),
                _call_aggregates(),
                _call_keys(),
                by_day=False,
            )
        ]
        OrderRollup.objects.bulk_create(orders, batch_size=1000)
        CallRollup.objects.bulk_create(calls, batch_size=1000)
        RollupDay.objects.filter(day=day).update(computed_at=now)
    return len(orders) + len(calls)


@dataclass
class RollupReport:
    days: int = 0
    rows: int = 0
    computed: list[date] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"days": self.days, "rows": self.rows}


def _first_day() -> date | None:
    firsts = [
        WorkOrder.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        CallRecord.objects.order_by("arrived_at").values_list("arrived_at", flat=True).first(),
    ]
    known = [timezone.localdate(at) for at in firsts if at is not None]
    return min(known) if known else None


def rollup_days(*, today: date | None = None, now: datetime | None = None) -> RollupReport:
    """The periodic run (`onestop hotline rollup`): every closed day (before `today`) that
    has orders or calls and no rollup yet, and every day marked dirty since its rollup.
    Running it again at once changes nothing."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = RollupReport()
    first = _first_day()
    if first is None:
        return report
    markers = dict(
        RollupDay.objects.filter(day__lt=today).order_by().values_list("day", "computed_at")
    )
    dirty = set(
        RollupDay.objects.filter(day__lt=today, dirty=True).order_by().values_list("day", flat=True)
    )
    wanted = {day for day in _days(first, today - timedelta(days=1)) if not markers.get(day)}
    for day in sorted(wanted | dirty):
        report.rows += rollup_day(day, now=now)
        report.days += 1
        report.computed.append(day)
    return report


def rollup_mark_dirty(days: Iterable[date]) -> int:
    """Days whose orders or calls changed after their rollup: the next run computes them."""
    wanted = set(days)
    if not wanted:
        return 0
    return RollupDay.objects.filter(day__in=wanted, dirty=False).update(dirty=True)


# --- Reading ----------------------------------------------------------------------------------


class _Counts:
    """Counts by (dimension, key) over a range of days: the rolled-up days from the rollup
    tables (summed in the database), the others live."""

    def __init__(self, first: date, last: date, today: date) -> None:
        self.first, self.last = first, last
        rolled = _rolled_up(first, min(last, today - timedelta(days=1)))
        self.live_runs = list(_runs(set(_days(first, last)) - rolled))
        self.any_rolled = bool(rolled)

    def orders(self, dimension: str) -> dict[str, dict[str, int]]:
        return self._read(OrderRollup, dimension, ORDER_COUNTS, orders=True)

    def calls(self, dimension: str) -> dict[str, dict[str, int]]:
        return self._read(CallRollup, dimension, CALL_COUNTS, orders=False)

    def orders_by_day(self) -> dict[date, int]:
        return self._by_day(OrderRollup, "orders", orders=True)

    def calls_by_day(self) -> dict[date, int]:
        return self._by_day(CallRollup, "calls", orders=False)

    def _read(
        self, model: Any, dimension: str, names: tuple[str, ...], *, orders: bool
    ) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
        if self.any_rolled:
            rows = (
                model.objects.filter(dimension=dimension, day__range=(self.first, self.last))
                .values("key")
                .annotate(**{name: Sum(name) for name in names})
                .order_by()
            )
            for row in rows:
                for name in names:
                    found[row["key"]][name] += row[name] or 0
        for first, last in self.live_runs:
            for _, _, key, counts in self._live(first, last, dimension, orders=orders):
                for name in names:
                    found[key][name] += counts[name]
        return dict(found)

    def _by_day(self, model: Any, name: str, *, orders: bool) -> dict[date, int]:
        found: dict[date, int] = {}
        if self.any_rolled:
            found.update(
                model.objects.filter(dimension="total", day__range=(self.first, self.last))
                .order_by()
                .values_list("day", name)
            )
        for first, last in self.live_runs:
            for day, _, _, counts in self._live(first, last, "total", orders=orders, by_day=True):
                if day is not None:
                    found[day] = found.get(day, 0) + counts[name]
        return found

    @staticmethod
    def _live(
        first: date, last: date, dimension: str, *, orders: bool, by_day: bool = False
    ) -> Iterator[tuple[date | None, str, str, dict[str, int]]]:
        begin, end = _span(first, last)
        if orders:
            return _live(
                _orders_between(begin, end),
                _order_keys(),
                _order_aggregates(),
                [dimension],
                by_day=by_day,
            )
        return _live(
            _calls_between(begin, end), _call_keys(), _call_aggregates(), [dimension], by_day=by_day
        )


def _top(
    rows: dict[str, dict[str, int]], name: str, limit: int
) -> list[tuple[str, dict[str, int]]]:
    ranked = [(key, counts) for key, counts in rows.items() if key and counts[name]]
    ranked.sort(key=lambda pair: (-pair[1][name], pair[0]))
    return ranked[:limit]


def hotline_metrics(first: date, last: date, *, today: date | None = None) -> Metrics:
    """The figures of the days `first` to `last` (local), `today` (and any day not rolled
    up) counted live."""
    today = today or timezone.localdate()
    result = Metrics(first=first, last=last)
    counts = _Counts(first, last, today)

    calls = counts.calls("total").get("", dict.fromkeys(CALL_COUNTS, 0))
    result.calls, result.answered = calls["calls"], calls["answered"]
    result.abandoned, result.callbacks = calls["abandoned"], calls["callbacks"]
    result.answer_rate = _rate(result.answered, result.calls)
    result.abandonment_rate = _rate(result.abandoned, result.calls)
    result.average_speed_of_answer = (
        round(calls["answered_wait_seconds"] / calls["answered"], 1) if calls["answered"] else None
    )
    result.calls_by_day = [
        {"day": day, "calls": n} for day, n in sorted(counts.calls_by_day().items()) if n
    ]
    result.calls_by_hour = [
        {"hour": int(key), "calls": row["calls"]}
        for key, row in sorted(counts.calls("hour").items())
        if key and row["calls"]
    ]
    lines = dict(Line.objects.order_by().values_list("code", "name"))
    result.calls_by_line = [
        {"line__name": lines.get(key, key), "calls": row["calls"], "answered": row["answered"]}
        for key, row in _top(counts.calls("line"), "calls", 80)
    ]

    figures = counts.orders("total").get("", dict.fromkeys(ORDER_COUNTS, 0))
    result.orders = figures["orders"]
    result.first_contact_resolution = _rate(figures["first_contact"], figures["phone"])
    result.on_time_rate = _rate(figures["on_time"], figures["replied"])
    result.return_rate = _rate(figures["returned"], figures["dispatched"])
    result.reopen_rate = _rate(figures["reopened"], figures["dispatched"])
    result.satisfaction_rate = _rate(figures["satisfied"], figures["visited"])
    year_before = _Counts(first - timedelta(days=364), last - timedelta(days=364), today)
    last_year = year_before.orders("total").get("", {}).get("orders", 0)
    result.year_on_year = round((result.orders - last_year) / last_year, 4) if last_year else None
    result.orders_by_kind = [
        {"kind": key, "n": row["orders"]} for key, row in _top(counts.orders("kind"), "orders", 10)
    ]
    by_department = _top(counts.orders("department"), "orders", 60)
    names = dict(
        Department.objects.filter(code__in=[key for key, _ in by_department])
        .order_by()
        .values_list("code", "name")
    )
    result.orders_by_department = [
        {"department__name": names.get(key, key), "n": row["orders"], "open": row["open"]}
        for key, row in by_department
    ]
    districts = dict(Region.objects.filter(level=2).order_by().values_list("code", "name"))
    result.orders_by_district = [
        {"district": districts.get(key, key), "n": row["orders"]}
        for key, row in _top(counts.orders("district"), "orders", 100)
    ]
    # This week and last: the seven days up to `last`, and the seven before.
    this_week = _Counts(last - timedelta(days=6), last, today).orders("category")
    last_week = _Counts(last - timedelta(days=13), last - timedelta(days=7), today).orders(
        "category"
    )
    top = _top(this_week, "orders", 10)
    classes = dict(
        Category.objects.filter(code__in=[key for key, _ in top])
        .order_by()
        .values_list("code", "name")
    )
    result.top_categories = [
        {
            "category": classes.get(key, key),
            "code": key,
            "this_week": row["orders"],
            "last_week": last_week.get(key, {}).get("orders", 0),
        }
        for key, row in top
    ]
    _parts(result)
    return result


def _parts(result: Metrics) -> None:
    """The assisting departments' parts added in the range: how many, the share replied on
    their own deadline, the returns per part, and those that fell overdue. The order's
    figures above stay the lead's (decision 0038)."""
    since, until = _span(result.first, result.last)
    row = OrderPart.objects.filter(created_at__gte=since, created_at__lt=until).aggregate(
        parts=Count("id"),
        replied=Count("id", filter=Q(replied_on_time__isnull=False)),
        on_time=Count("id", filter=Q(replied_on_time=True)),
        returned=Sum("return_count"),
        overdue=Count("id", filter=Q(overdue_at__isnull=False)),
    )
    result.parts = row["parts"]
    result.parts_on_time_rate = _rate(row["on_time"], row["replied"])
    result.parts_return_rate = _rate(row["returned"] or 0, row["parts"])
    result.parts_overdue = row["overdue"]


def metrics_csv(metrics: Metrics) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])
    for name in (
        "calls",
        "answered",
        "abandoned",
        "callbacks",
        "answer_rate",
        "abandonment_rate",
        "average_speed_of_answer",
        "first_contact_resolution",
        "orders",
        "on_time_rate",
        "return_rate",
        "reopen_rate",
        "satisfaction_rate",
        "year_on_year",
        "parts",
        "parts_on_time_rate",
        "parts_return_rate",
        "parts_overdue",
    ):
        value = getattr(metrics, name)
        writer.writerow([name, "" if value is None else value])
    writer.writerow([])
    writer.writerow(["day", "calls"])
    for row in metrics.calls_by_day:
        writer.writerow([row["day"], row["calls"]])
    writer.writerow([])
    writer.writerow(["department", "orders", "open"])
    for row in metrics.orders_by_department:
        writer.writerow([row["department__name"], row["n"], row["open"]])
    return out.getvalue()
