"""The hotline's configuration as each process holds it: the routing table, the district
bureaus of the city departments, the time limits, the taxonomy, the city's regions, and the
due dates already worked out on the calendar (decision 0030).

Dispatching an order used to read the routing rules (joined to their classes, regions and
departments), the district bureau and the time-limit rule: three queries, every time, for
tables that change a few times a year; registering it read the class and the region; the
due date read the calendar. Now a process builds one `Snapshot` of them and keeps it while
the `ConfigStamp` row says nothing changed; reading that row is one primary-key query.
Saving or deleting a routing rule, a time-limit rule, a class, a region, a department or a
calendar override gives the row a new token (signals, connected in apps.py), in the
transaction of the change: other processes see the new token when they can see the change,
and a rolled-back change takes its token with it. A snapshot is also rebuilt after
`MAX_AGE` in any case, for changes that bypass the signals (core's bulk loads); a class or
region the snapshot does not know is looked up in the database.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from django.db import connection, models
from django.db.models import Subquery
from django.utils import timezone

from onestop.core.models import Department, Region
from onestop.hotline import clock
from onestop.hotline.enums import DEFAULT_LIMITS, DueUnit
from onestop.hotline.models import Category, ConfigStamp, DueRule, RoutingRule

STAMP = "hotline"
MAX_AGE = 300.0


@dataclass(frozen=True)
class Route:
    category_code: str
    region_code: str
    department_id: int
    to_district_bureau: bool


@dataclass
class Snapshot:
    token: str
    built: float
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    departments: dict[int, Department] = field(default_factory=dict)
    # (city department, district code) → the department's bureau in that district
    bureaus: dict[tuple[int, str], int] = field(default_factory=dict)
    limits: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    # Active classes (each with its parents) and regions, by code.
    categories: dict[str, Category] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    # (local start date, working days) → the due time, filled as dispatches ask.
    due_dates: dict[tuple[date, int], datetime | None] = field(default_factory=dict)

    def category(self, code: str) -> Category | None:
        found = self.categories.get(code)
        return copy.copy(found) if found is not None else None

    def region(self, code: str) -> Region | None:
        found = self.regions.get(code)
        return copy.copy(found) if found is not None else None

    def due_at(self, started: datetime, limit: int, unit: str) -> datetime | None:
        """clock.due_at for a clock that has not been paused; a limit in working days from
        the same day ends at the same time, so the calendar is read once a day and limit."""
        if unit != DueUnit.WORKING_DAYS:
            return clock.due_at(started, limit, unit)
        key = (timezone.localdate(started), limit)
        if key not in self.due_dates:
            self.due_dates[key] = clock.due_at(started, limit, unit)
        return self.due_dates[key]

    def route(self, category_code: str, region_code: str) -> Department | None:
        """The most specific class first, then the most specific region (selectors)."""
        classes = [category_code[:n] for n in (7, 4, 2) if n <= len(category_code)]
        regions = [region_code[:n] for n in (12, 9, 6, 4) if n <= len(region_code)] + [""]
        best = next(
            (
                self.routes[(c, r)]
                for c in sorted(set(classes), key=len, reverse=True)
                for r in regions
                if (c, r) in self.routes
            ),
            None,
        )
        if best is None:
            return None
        department_id = best.department_id
        if best.to_district_bureau and len(region_code) >= 6:
            department_id = self.bureaus.get((department_id, region_code[:6]), department_id)
        department = self.departments.get(department_id)
        # A copy: the caller may set it on an order, and the snapshot is shared.
        return copy.copy(department) if department is not None else None

    def due_limit(self, kind: str, urgency: str) -> tuple[int, str]:
        return self.limits.get((kind, urgency)) or DEFAULT_LIMITS[(kind, urgency)]


_lock = threading.Lock()
# This process's snapshot, under the key "current".
_held: dict[str, Snapshot] = {}


def _token() -> str:
    return next(iter(ConfigStamp.objects.filter(name=STAMP).values_list("token", flat=True)), "")


def _build(token: str) -> Snapshot:
    snapshot = Snapshot(token=token, built=time.monotonic())
    for category_code, region_code, department_id, bureau in RoutingRule.objects.values_list(
        "category__code", "region__code", "department_id", "to_district_bureau"
    ).order_by():
        route = Route(category_code, region_code or "", department_id, bureau)
        snapshot.routes[(route.category_code, route.region_code)] = route
    wanted = {route.department_id for route in snapshot.routes.values()}
    bureaus = (
        Department.objects.filter(parent_id__in=wanted, is_active=True)
        .select_related("region")
        .order_by("code")
    )
    for department in bureaus:
        if department.parent_id is not None:
            key = (department.parent_id, department.region.code)
            snapshot.bureaus.setdefault(key, department.pk)
        snapshot.departments[department.pk] = department
    for department in Department.objects.filter(pk__in=wanted - set(snapshot.departments)):
        snapshot.departments[department.pk] = department
    for rule in DueRule.objects.order_by():
        snapshot.limits[(rule.kind, rule.urgency)] = (rule.limit, rule.unit)
    categories = Category.objects.filter(is_active=True).select_related("parent__parent")
    snapshot.categories = {category.code: category for category in categories.order_by()}
    snapshot.regions = {region.code: region for region in Region.objects.order_by()}
    return snapshot


def token_expression() -> Subquery:
    """The stamp's token as a subquery, so a query the service runs anyway (the order it
    locks) reads it too: one round trip fewer."""
    return Subquery(ConfigStamp.objects.filter(name=STAMP).values("token")[:1])


def token_and_next_id(model: type[models.Model]) -> tuple[str, int | None]:
    """The stamp's token and, on PostgreSQL, the next id of `model`'s table, in one round
    trip: a work order's number (its day and id) is then known before its insert, which
    needs no second write. Elsewhere the id is None (the insert gives it)."""
    if connection.vendor != "postgresql":
        return _token(), None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {ConfigStamp._meta.db_table} WHERE name = %s), "  # noqa: S608 - our own table's name
            "nextval(pg_get_serial_sequence(%s, %s))",
            [STAMP, table, model._meta.pk.column],
        )
        token, next_id = cursor.fetchone()
    return token or "", int(next_id)


def current(token: str | None = None) -> Snapshot:
    """The snapshot for the configuration as this transaction sees it. `token`: the stamp's
    token if the caller has read it already (token_expression, token_and_next_id)."""
    token = _token() if token is None else token
    snapshot = _held.get("current")
    if (
        snapshot is not None
        and snapshot.token == token
        and time.monotonic() - snapshot.built < MAX_AGE
    ):
        return snapshot
    built = _build(token)
    with _lock:
        _held["current"] = built
    return built


def forget() -> None:
    """Drop this process's snapshot (the next read builds one)."""
    with _lock:
        _held.pop("current", None)


def changed(**_: Any) -> None:
    """Signal receiver: the configuration changed; give the stamp a new token."""
    ConfigStamp.objects.update_or_create(name=STAMP, defaults={"token": uuid4().hex})
    forget()
