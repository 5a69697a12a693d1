"""The hotline's figures, computed from call records and work orders, never typed in: calls
per day, line and hour, answer rate, average speed of answer, abandonment, first-contact
resolution; orders per kind, class, district and department; on-time, return, reopen and
satisfaction rates; growth on the year before; the top classes this week against last.

Every figure is one aggregate query over an indexed time range."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractHour, Substr, TruncDate
from django.utils import timezone

from onestop.core.models import Region
from onestop.hotline.enums import CallOutcome, Channel, OrderState, Satisfaction
from onestop.hotline.models import CallRecord, WorkOrder


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


def hotline_metrics(first: date, last: date) -> Metrics:
    begin, end = _span(first, last)
    result = Metrics(first=first, last=last)
    calls = CallRecord.objects.filter(arrived_at__gte=begin, arrived_at__lt=end)
    totals = calls.aggregate(
        calls=Count("id"),
        answered=Count("id", filter=Q(outcome=CallOutcome.ANSWERED)),
        abandoned=Count("id", filter=Q(outcome=CallOutcome.ABANDONED)),
        callbacks=Count("id", filter=Q(outcome=CallOutcome.CALLBACK)),
        asa=Avg("wait_seconds", filter=Q(outcome=CallOutcome.ANSWERED)),
    )
    result.calls, result.answered = totals["calls"], totals["answered"]
    result.abandoned, result.callbacks = totals["abandoned"], totals["callbacks"]
    result.answer_rate = _rate(result.answered, result.calls)
    result.abandonment_rate = _rate(result.abandoned, result.calls)
    result.average_speed_of_answer = round(totals["asa"], 1) if totals["asa"] is not None else None
    result.calls_by_day = [
        {"day": row["day"], "calls": row["n"]}
        for row in calls.annotate(day=TruncDate("arrived_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    ]
    result.calls_by_hour = [
        {"hour": row["hour"], "calls": row["n"]}
        for row in calls.annotate(hour=ExtractHour("arrived_at"))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by("hour")
    ]
    result.calls_by_line = list(
        calls.values("line__name")
        .annotate(calls=Count("id"), answered=Count("id", filter=Q(outcome=CallOutcome.ANSWERED)))
        .order_by("-calls")[:80]
    )
    orders = WorkOrder.objects.filter(created_at__gte=begin, created_at__lt=end)
    figures = orders.aggregate(
        orders=Count("id"),
        phone=Count("id", filter=Q(channel=Channel.PHONE)),
        first_contact=Count("id", filter=Q(first_contact_resolution=True)),
        replied=Count("id", filter=Q(replied_on_time__isnull=False)),
        on_time=Count("id", filter=Q(replied_on_time=True)),
        dispatched=Count("id", filter=Q(dispatched_at__isnull=False)),
        returned=Count("id", filter=Q(return_count__gt=0)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
        visited=Count("id", filter=~Q(satisfaction="")),
        satisfied=Count(
            "id",
            filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]),
        ),
    )
    result.orders = figures["orders"]
    result.first_contact_resolution = _rate(figures["first_contact"], figures["phone"])
    result.on_time_rate = _rate(figures["on_time"], figures["replied"])
    result.return_rate = _rate(figures["returned"], figures["dispatched"])
    result.reopen_rate = _rate(figures["reopened"], figures["dispatched"])
    result.satisfaction_rate = _rate(figures["satisfied"], figures["visited"])
    last_year = WorkOrder.objects.filter(
        created_at__gte=begin - timedelta(days=364), created_at__lt=end - timedelta(days=364)
    ).count()
    result.year_on_year = round((result.orders - last_year) / last_year, 4) if last_year else None
    result.orders_by_kind = list(orders.values("kind").annotate(n=Count("id")).order_by("-n"))
    result.orders_by_department = list(
        orders.exclude(department=None)
        .values("department__name")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=~Q(state=OrderState.CLOSED)),
        )
        .order_by("-n")[:60]
    )
    districts = dict(Region.objects.filter(level=2).values_list("code", "name"))
    result.orders_by_district = [
        {"district": districts.get(row["district"], row["district"]), "n": row["n"]}
        for row in orders.annotate(district=Substr("region_code", 1, 6))
        .values("district")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    week_begin = end - timedelta(days=7)
    this_week = dict(
        WorkOrder.objects.filter(created_at__gte=week_begin, created_at__lt=end)
        .values_list("category__name")
        .annotate(n=Count("id"))
        .values_list("category__name", "n")
    )
    last_week = dict(
        WorkOrder.objects.filter(
            created_at__gte=week_begin - timedelta(days=7), created_at__lt=week_begin
        )
        .values_list("category__name")
        .annotate(n=Count("id"))
        .values_list("category__name", "n")
    )
    result.top_categories = [
        {"category": name, "this_week": n, "last_week": last_week.get(name, 0)}
        for name, n in sorted(this_week.items(), key=lambda pair: -pair[1])[:10]
    ]
    return result


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
