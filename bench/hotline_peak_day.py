"""A simulated 12345 peak day: 30,000 calls (1.5× today's volume) over 24 hours with the
city's hourly peaks, through the telephony simulator and the real services; 40 % become
work orders, created by an agent and dispatched by the routing table to the district
bureaus. Reports the end-to-end time, orders per second at intake, p95 of create and of
dispatch (target ≤ 50 ms), the figures of the day, and Open311's `GET requests.json` (and
`.xml`) with 1,000 rows (target p95 ≤ 150 ms).

Then, on PostgreSQL, a year of figures (decision 0030): 4.4 million work orders and 1.5
calls for each spread over the 365 days before the peak day, bulk inserted by the database
(`INSERT … SELECT generate_series`, not through the services: only their figures matter
here), then the figures page for the year (target ≤ 2 s) counted live from the rows (the
way before rollups) and read from the daily rollups with the peak day live, in the same run,
and the rollup run itself (first and again).

`ONESTOP_BENCH_HOTLINE_CALLS` scales the day (default 30,000);
`ONESTOP_BENCH_HOTLINE_YEAR_ORDERS` the year (default 4,400,000; 0 leaves it out).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.harness import Result, summarise_ms

CALLS = int(os.environ.get("ONESTOP_BENCH_HOTLINE_CALLS", "30000"))
YEAR_ORDERS = int(os.environ.get("ONESTOP_BENCH_HOTLINE_YEAR_ORDERS", "4400000"))
YEAR_CALLS_PER_ORDER = 1.5
PAGE_RUNS = 5
ORDER_SHARE = 0.4
OPEN311_RUNS = 20
DAY = date(2026, 12, 1)
TZ = ZoneInfo("Asia/Shanghai")


def _setup():
    from onestop.core.access import Role
    from onestop.core.departments import departments_load
    from onestop.core.models import Region
    from onestop.core.regions import regions_load
    from onestop.hotline import demo, services
    from onestop.hotline.models import Category, Line
    from onestop.identity.models import User
    from onestop.identity.services import RoleGrant, staff_create

    regions_load()
    departments_load()
    admin = User.objects.create_superuser("hotline-bench-admin", "hotline-bench-password")
    services.lines_load(actor=admin)
    with tempfile.TemporaryDirectory() as scratch:
        demo._taxonomy(admin, Path(scratch))
    demo._routes(admin)
    agent = staff_create(
        actor=admin,
        username="hotline-bench-agent",
        password="correct-horse-battery-42",  # noqa: S106 - a benchmark account
        display_name="坐席",
        roles=[RoleGrant(role=Role.HOTLINE_AGENT, region=Region.objects.get(code="4401"))],
    )
    routed = [
        c
        for c in Category.objects.filter(level=3).select_related("parent__parent")
        if c.parent and c.parent.parent and (c.parent.parent.name, "") in demo.ROUTES
    ]
    communities = list(Region.objects.filter(level=4).values_list("code", flat=True))
    dispatcher = staff_create(
        actor=admin,
        username="hotline-bench-dispatcher",
        password="correct-horse-battery-42",  # noqa: S106 - a benchmark account
        display_name="派单员",
        roles=[RoleGrant(role=Role.DISPATCHER, region=Region.objects.get(code="4401"))],
    )
    return (
        agent,
        dispatcher,
        routed,
        communities,
        list(Line.objects.values_list("code", flat=True)),
    )


def hotline_peak_day() -> Result:
    from django.test import Client

    from onestop.hotline import services
    from onestop.hotline.metrics import hotline_metrics
    from onestop.hotline.telephony import SimulatedTelephony

    agent, dispatcher, routed, communities, line_codes = _setup()
    rng = random.Random(2026)
    telephony = SimulatedTelephony(line_codes, per_day=CALLS)

    started = time.perf_counter()
    calls = list(telephony.calls(DAY))
    register_started = time.perf_counter()
    for first in range(0, len(calls), 2000):
        services.calls_register(actor=None, calls=calls[first : first + 2000])
    register_s = time.perf_counter() - register_started
    creates: list[float] = []
    dispatches: list[float] = []
    intake_started = time.perf_counter()
    for call in calls:
        if not call.answered or rng.random() >= ORDER_SHARE:
            continue
        category = rng.choice(routed)
        t0 = time.perf_counter()
        order = services.order_create(
            actor=agent,
            channel="phone",
            request=services.OrderInput(
                kind="complaint",
                category_code=category.code,
                region_code=rng.choice(communities),
                text=f"关于{category.name}的诉求，请相关部门处理。",
                contact_phone=call.caller,
            ),
            now=call.arrived_at + timedelta(seconds=call.wait_seconds),
        )
        t1 = time.perf_counter()
        services.order_dispatch(actor=agent, order_id=order.pk, now=order.created_at)
        t2 = time.perf_counter()
        creates.append(t1 - t0)
        dispatches.append(t2 - t1)
    intake_s = time.perf_counter() - intake_started
    total_s = time.perf_counter() - started

    metrics_started = time.perf_counter()
    hotline_metrics(DAY, DAY)
    metrics_s = time.perf_counter() - metrics_started

    client = Client(HTTP_HOST="localhost")
    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=TZ)
    query = {
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(),
        "page_size": "1000",
    }
    open311: dict[str, list[float]] = {"json": [], "xml": []}
    rows = 0
    for _ in range(OPEN311_RUNS):
        for fmt, times in open311.items():
            t0 = time.perf_counter()
            response = client.get(f"/open311/v2/requests.{fmt}", query)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (response.status_code, response.content[:300])
            if fmt == "json":
                rows = len(response.json())

    create_ms, dispatch_ms = summarise_ms(creates), summarise_ms(dispatches)
    figures: dict[str, float | int | str] = {
        "calls": len(calls),
        "orders": len(creates),
        "total_s": round(total_s, 1),
        "calls_register_s": round(register_s, 2),
        "orders_per_s": round(len(creates) / intake_s, 1) if intake_s else 0,
        "create_p50_ms": create_ms["p50_ms"],
        "create_p95_ms": create_ms["p95_ms"],
        "dispatch_p50_ms": dispatch_ms["p50_ms"],
        "dispatch_p95_ms": dispatch_ms["p95_ms"],
        "metrics_day_ms": round(metrics_s * 1000, 1),
        "open311_rows": rows,
        "open311_json_p50_ms": summarise_ms(open311["json"])["p50_ms"],
        "open311_json_p95_ms": summarise_ms(open311["json"])["p95_ms"],
        "open311_xml_p95_ms": summarise_ms(open311["xml"])["p95_ms"],
    }
    from django.db import connection

    if YEAR_ORDERS and connection.vendor == "postgresql":
        figures.update(_year(client, dispatcher))
    return Result(
        name="hotline_peak_day",
        figures=figures,
        note=(
            "targets: create and dispatch p95 ≤ 50 ms; Open311 1,000 rows p95 ≤ 150 ms; "
            "figures page over a year ≤ 2 s on PostgreSQL (year_page_*: rollups + the peak "
            "day live; year_live_s: the same figures counted from the rows)"
        ),
    )


def _literal(field: Any) -> str:
    """A column's Python default as SQL, for the columns the bulk insert leaves alone."""
    value = field.get_default()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | dict):
        return "'[]'::jsonb" if isinstance(value, list) else "'{}'::jsonb"
    return "'" + str(value).replace("'", "''") + "'"


def _insert_select(model: Any, n: int, columns: dict[str, str], params: dict[str, Any]) -> None:
    """INSERT INTO model's table SELECT … FROM generate_series(1, n) AS g: `columns` gives
    the expressions (over g, and `c`, the row's time), every other column its default."""
    from django.db import connection

    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(connection.ops.quote_name(field.column))
        if field.column in columns:
            values.append(columns[field.column])
        elif field.null:
            values.append("NULL")
        else:
            values.append(_literal(field))
    # Our own table, columns and expressions: nothing from outside.
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM ("
        "SELECT g, %(start)s::timestamptz - (1 + g %% 365) * interval '1 day'"
        " + ((g::bigint * 7919) %% 86400) * interval '1 second' AS c"
        " FROM generate_series(1, %(n)s) AS g) AS s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "n": n})


INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes AS i
WHERE i.tablename = %s AND NOT EXISTS (
    SELECT 1 FROM pg_constraint AS c WHERE c.conindid = (quote_ident(i.indexname))::regclass
)
"""


def _year_insert(start: datetime) -> None:
    """The bulk insert, as a loader would do it: the tables' plain indexes dropped and built
    again after, foreign keys not checked row by row (every id is taken from its table)."""
    from django.db import connection, transaction

    tables = ("hotline_workorder", "hotline_callrecord")
    with connection.cursor() as cursor:
        dropped = []
        for table in tables:
            cursor.execute(INDEXES, [table])
            dropped += cursor.fetchall()
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        _year_rows(start)
    with connection.cursor() as cursor:
        for _name, definition in dropped:
            cursor.execute(definition)
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def _year_rows(start: datetime) -> None:

    from onestop.core.models import Department, Region
    from onestop.hotline.models import CallRecord, Category, Line, WorkOrder

    categories = list(Category.objects.filter(level=3).values_list("id", flat=True))
    regions = list(Region.objects.filter(level=4).values_list("id", "code"))
    departments = list(
        Department.objects.filter(parent__isnull=False).values_list("id", flat=True)[:60]
    )
    params = {
        "start": start,
        "kinds": ["help", "complaint", "report", "consultation", "suggestion"],
        "categories": categories,
        "ncat": len(categories),
        "region_ids": [pk for pk, _ in regions],
        "region_codes": [code for _, code in regions],
        "nreg": len(regions),
        "departments": departments,
        "ndep": len(departments),
        "lines": list(Line.objects.values_list("id", flat=True)),
    }
    params["nlines"] = len(params["lines"])
    state = (
        "CASE WHEN g %% 10 < 8 THEN 'closed' WHEN g %% 10 = 8 THEN 'replied' ELSE 'in_progress' END"
    )
    _insert_select(
        WorkOrder,
        YEAR_ORDERS,
        {
            "number": "'Y' || g",
            "kind": "(%(kinds)s::text[])[1 + g %% 5]",
            "channel": "(ARRAY['phone','phone','phone','web','wechat'])[1 + (g / 5) %% 5]",
            "state": state,
            "category_id": "(%(categories)s::int[])[1 + (g * 7) %% %(ncat)s]",
            "title": "'批量'",
            "text": "'批量生成的工单'",
            "region_id": "(%(region_ids)s::int[])[1 + (g * 13) %% %(nreg)s]",
            "region_code": "(%(region_codes)s::text[])[1 + (g * 13) %% %(nreg)s]",
            "contact_phone_masked": "'138****0000'",
            "department_id": "(%(departments)s::int[])[1 + (g * 11) %% %(ndep)s]",
            "limit": "5",
            "clock_started_at": "c + interval '5 minutes'",
            "due_at": "c + interval '7 days'",
            "far_due_at": "c + interval '21 days'",
            "replied_at": "CASE WHEN g %% 10 < 9 THEN c + interval '2 days' END",
            "replied_on_time": "CASE WHEN g %% 10 < 9 THEN g %% 7 <> 0 END",
            "satisfaction": (
                "CASE WHEN g %% 10 < 8 THEN (ARRAY['satisfied','basically_satisfied',"
                "'dissatisfied','satisfied'])[1 + g %% 4] ELSE '' END"
            ),
            "first_contact_resolution": "(g %% 5 = 3 AND g %% 2 = 0)",
            "return_count": "CASE WHEN g %% 13 = 0 THEN 1 ELSE 0 END",
            "reopen_count": "CASE WHEN g %% 17 = 0 THEN 1 ELSE 0 END",
            "created_at": "c",
            "dispatched_at": "c + interval '5 minutes'",
            "accepted_at": "c + interval '1 hour'",
            "closed_at": "CASE WHEN g %% 10 < 8 THEN c + interval '3 days' END",
        },
        params,
    )
    _insert_select(
        CallRecord,
        int(YEAR_ORDERS * YEAR_CALLS_PER_ORDER),
        {
            "line_id": "(%(lines)s::int[])[1 + g %% %(nlines)s]",
            "arrived_at": "c",
            "wait_seconds": "(g * 31) %% 240",
            "outcome": (
                "CASE g %% 10 WHEN 0 THEN 'abandoned' WHEN 1 THEN 'callback' ELSE 'answered' END"
            ),
            "talk_seconds": "120",
            "caller_masked": "'138****0000'",
        },
        params,
    )


def _year(client: Any, dispatcher: Any) -> dict[str, float | int | str]:
    from onestop.hotline.metrics import hotline_metrics, rollup_days

    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=TZ)
    first = DAY - timedelta(days=364)
    t0 = time.perf_counter()
    _year_insert(start)
    insert_s = time.perf_counter() - t0
    # Before: every figure counted from the rows (no rollup yet).
    t0 = time.perf_counter()
    live = hotline_metrics(first, DAY, today=DAY)
    live_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = rollup_days(today=DAY)
    rollup_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = rollup_days(today=DAY)
    again_s = time.perf_counter() - t0
    rolled = hotline_metrics(first, DAY, today=DAY)
    assert rolled == live, "the rolled-up figures differ from the live count"
    client.force_login(dispatcher)
    url = "/hotline/metrics/"
    query = {"first": first.isoformat(), "last": DAY.isoformat()}
    pages: list[float] = []
    exports: list[float] = []
    for _ in range(PAGE_RUNS):
        t0 = time.perf_counter()
        response = client.get(url, query)
        pages.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        t0 = time.perf_counter()
        response = client.get(url, {**query, "format": "csv"})
        exports.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    page, export = summarise_ms(pages), summarise_ms(exports)
    return {
        "year_orders": live.orders,
        "year_calls": live.calls,
        "year_insert_s": round(insert_s, 1),
        "year_live_s": round(live_s, 2),
        "rollup_days": report.days,
        "rollup_rows": report.rows,
        "rollup_s": round(rollup_s, 1),
        "rollup_again_s": round(again_s, 2),
        "rollup_again_days": again.days,
        "year_page_p50_ms": page["p50_ms"],
        "year_page_p95_ms": page["p95_ms"],
        "year_csv_p50_ms": export["p50_ms"],
    }


BENCHMARKS = {"hotline_peak_day": hotline_peak_day}
