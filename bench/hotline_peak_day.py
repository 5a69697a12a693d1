"""A simulated 12345 peak day: 30,000 calls (1.5× today's volume) over 24 hours with the
city's hourly peaks, through the telephony simulator and the real services; 40 % become
work orders, created by an agent and dispatched by the routing table to the district
bureaus. Reports the end-to-end time, orders per second at intake, p95 of create and of
dispatch (target ≤ 50 ms), the figures page's queries over the day, and Open311's
`GET requests.json` with 1,000 rows (target p95 ≤ 150 ms).

`ONESTOP_BENCH_HOTLINE_CALLS` scales the day (default 30,000).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.harness import Result, summarise_ms

CALLS = int(os.environ.get("ONESTOP_BENCH_HOTLINE_CALLS", "30000"))
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
    return agent, routed, communities, list(Line.objects.values_list("code", flat=True))


def hotline_peak_day() -> Result:
    from django.test import Client

    from onestop.hotline import services
    from onestop.hotline.metrics import hotline_metrics
    from onestop.hotline.telephony import SimulatedTelephony

    agent, routed, communities, line_codes = _setup()
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
    url = "/open311/v2/requests.json"
    query = {
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(),
        "page_size": "1000",
    }
    open311: list[float] = []
    rows = 0
    for _ in range(OPEN311_RUNS):
        t0 = time.perf_counter()
        response = client.get(url, query)
        open311.append(time.perf_counter() - t0)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        rows = len(response.json())

    create_ms, dispatch_ms = summarise_ms(creates), summarise_ms(dispatches)
    return Result(
        name="hotline_peak_day",
        figures={
            "calls": len(calls),
            "orders": len(creates),
            "total_s": round(total_s, 1),
            "calls_register_s": round(register_s, 2),
            "orders_per_s": round(len(creates) / intake_s, 1) if intake_s else 0,
            "create_p95_ms": create_ms["p95_ms"],
            "dispatch_p95_ms": dispatch_ms["p95_ms"],
            "metrics_day_ms": round(metrics_s * 1000, 1),
            "open311_rows": rows,
            "open311_p95_ms": summarise_ms(open311)["p95_ms"],
        },
        note="targets: create and dispatch p95 ≤ 50 ms; Open311 1,000 rows p95 ≤ 150 ms",
    )


BENCHMARKS = {"hotline_peak_day": hotline_peak_day}
