"""A simulated day in a big district hall, through the real services (no HTTP).

200 windows and 6,000 tickets: arrivals are a Poisson process over 09:00–17:00 whose rate
peaks in the morning (09:30–11:00) and again less at 14:00–15:30; kinds are 60 % acceptance,
25 % consultation, 15 % pickup; service times are log-normal by kind and category. Windows
are staffed by category in proportion to demand, each clerk's profile calling their own
category first and the others after. An idle window is woken by the next arrival; 2 % of
the people called do not come (recalled once, then a no-show); a tenth of the consultations
become acceptances at the same window. The clock is simulated (`now=` of each service), so
the day runs as fast as the database allows; the figures are the wall time of each call.

Before the day, eight kiosk threads issue 400 tickets at once on the same database, and the
run checks that no number was issued twice.
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import random
import secrets
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.harness import Result, summarise_ms

WINDOWS = 200
TICKETS = 6000
SEED = 2026
DAY = date(2026, 12, 1)  # a Tuesday, a working day
TZ = ZoneInfo("Asia/Shanghai")
CATEGORIES = {  # share of visits, median acceptance minutes
    "registration": (0.22, 14.0),
    "business": (0.18, 12.0),
    "construction": (0.10, 18.0),
    "trade": (0.05, 15.0),
    "social": (0.45, 9.0),
}
KINDS = {"acceptance": 0.60, "consultation": 0.25, "pickup": 0.15}
MEDIAN_FACTOR = {"acceptance": 1.0, "consultation": 0.4, "pickup": 0.2}
SIGMA = 0.5
NO_SHOW_SHARE = 0.02
CONVERT_SHARE = 0.10
RACE_THREADS = 8
RACE_TICKETS = 400


def _at(hours: float) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, tzinfo=TZ) + timedelta(hours=hours)


def _rate(hour: float) -> float:
    """Relative arrival rate at a time of day: a morning peak and a smaller afternoon one."""
    if 9.5 <= hour < 11:
        return 2.2
    if 14 <= hour < 15.5:
        return 1.5
    if 12 <= hour < 13:
        return 0.6
    return 1.0


def arrivals(rng: random.Random, count: int) -> list[float]:
    """`count` arrival hours of a Poisson process over 09:00–17:00 with rate `_rate`: given
    their number, its points are independent with density proportional to the rate, drawn
    here by rejection."""
    peak = 2.2
    hours: list[float] = []
    while len(hours) < count:
        hour = rng.uniform(9.0, 17.0)
        if rng.random() < _rate(hour) / peak:
            hours.append(hour)
    return sorted(hours)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _setup():
    from datetime import time as clock

    from onestop.centres.services import SessionSpec, centre_create
    from onestop.core.access import Role
    from onestop.core.models import Region
    from onestop.hall import services
    from onestop.identity.models import User
    from onestop.identity.services import RoleGrant, staff_create

    admin = User.objects.create_superuser("hall-bench-admin", "hall-bench-password")
    region, _ = Region.objects.get_or_create(code="440106", defaults={"name": "天河区", "level": 2})
    centre = centre_create(
        actor=admin,
        code="bench-hall",
        name="基准测试政务服务中心",
        level="district",
        region=region,
        address="天河路",
        category_codes=list(CATEGORIES),
        sessions=[SessionSpec(d, clock(8), clock(18)) for d in range(7)],
    )

    def account(role: Role, name: str) -> User:
        return staff_create(
            actor=admin,
            username=name,
            password=secrets.token_urlsafe(24),
            display_name=name,
            roles=[RoleGrant(role=role, centre_id=centre.pk)],
        )

    manager = account(Role.HALL_MANAGER, "hall-day-manager")
    kiosk = account(Role.HALL_DEVICE, "hall-day-kiosk")
    codes = list(CATEGORIES)
    profiles = {
        code: services.profile_save(
            actor=manager,
            centre_id=centre.pk,
            name=f"{code} first",
            queues=[(c, k) for c in [code, *[o for o in codes if o != code]] for k in KINDS],
        )
        for code in codes
    }
    # Windows by category in proportion to the work: share × median service time.
    work = {code: share * median for code, (share, median) in CATEGORIES.items()}
    total = sum(work.values())
    staffing = [code for code in codes for _ in range(round(WINDOWS * work[code] / total))]
    staffing = (staffing + codes * WINDOWS)[:WINDOWS]
    windows = []
    for number, code in enumerate(staffing, start=1):
        window = services.window_create(
            actor=manager, centre_id=centre.pk, number=number, categories=codes
        )
        clerk = account(Role.WINDOW_CLERK, f"hall-day-clerk-{number}")
        services.window_open(
            actor=clerk, window_id=window.pk, profile_id=profiles[code].pk, now=_at(8.9)
        )
        windows.append((window, clerk))
    return centre, kiosk, windows


def _race_kiosks(centre, kiosk) -> int:
    """Eight kiosks issue at once; returns how many numbers were issued twice."""
    from django.db import connection

    from onestop.hall import services
    from onestop.hall.models import Ticket

    start = threading.Barrier(RACE_THREADS)
    errors: list[str] = []
    race_day = _at(24 + 10)  # the next day, so the day's own series start at 1

    def kiosk_thread(n: int) -> None:
        try:
            start.wait()
            for i in range(RACE_TICKETS // RACE_THREADS):
                services.ticket_issue(
                    actor=kiosk,
                    centre_id=centre.pk,
                    category="social",
                    kind="consultation" if (n + i) % 2 else "acceptance",
                    now=race_day,
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=kiosk_thread, args=(n,)) for n in range(RACE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    displays = list(
        Ticket.objects.filter(service_day=race_day.date()).values_list("display", flat=True)
    )
    assert len(displays) == RACE_TICKETS, len(displays)
    return len(displays) - len(set(displays))


def hall_day() -> Result:  # noqa: PLR0915 - one simulation loop, read top to bottom
    from onestop.hall import services

    rng = random.Random(SEED)
    setup_started = time.perf_counter()
    centre, kiosk, windows = _setup()
    setup_s = time.perf_counter() - setup_started
    duplicates = _race_kiosks(centre, kiosk)

    seq = itertools.count()
    heap: list[tuple[datetime, int, str, object]] = []
    for hour in arrivals(rng, TICKETS):
        heapq.heappush(heap, (_at(hour), next(seq), "arrive", None))
    idle = list(range(len(windows)))
    issue_s: list[float] = []
    call_s: list[float] = []
    # CPU time of this thread per call: on SQLite that includes the database's work, and
    # unlike wall time it does not grow when other processes hold the cores.
    issue_cpu: list[float] = []
    call_cpu: list[float] = []
    waits_min: list[float] = []
    served = no_shows = converted = empty_calls = 0

    def service_minutes(category: str, kind: str) -> float:
        median = CATEGORIES[category][1] * MEDIAN_FACTOR[kind]
        return rng.lognormvariate(math.log(median), SIGMA)

    def call(index: int, now: datetime) -> None:
        nonlocal served, no_shows, converted, empty_calls
        window, clerk = windows[index]
        began, cpu = time.perf_counter(), time.thread_time()
        called = services.ticket_call_next(actor=clerk, window_id=window.pk, now=now)
        ticket = called.ticket if called is not None else None
        call_s.append(time.perf_counter() - began)
        call_cpu.append(time.thread_time() - cpu)
        if ticket is None:
            empty_calls += 1
            idle.append(index)
            return
        waits_min.append((now - ticket.queue_at).total_seconds() / 60)
        if rng.random() < NO_SHOW_SHARE:
            services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=now + timedelta(minutes=1))
            services.ticket_no_show(
                actor=clerk, ticket_id=ticket.pk, now=now + timedelta(minutes=2)
            )
            no_shows += 1
            heapq.heappush(heap, (now + timedelta(minutes=2), next(seq), "free", index))
            return
        start = now + timedelta(seconds=40)
        services.ticket_start(actor=clerk, ticket_id=ticket.pk, now=start)
        end = start + timedelta(minutes=service_minutes(ticket.category.code, ticket.kind))
        if ticket.kind == "consultation" and rng.random() < CONVERT_SHARE:
            ticket = services.ticket_convert(
                actor=clerk, ticket_id=ticket.pk, to_kind="acceptance", keep=True, now=end
            )
            converted += 1
            end += timedelta(minutes=service_minutes(ticket.category.code, "acceptance"))
        services.ticket_finish(actor=clerk, ticket_id=ticket.pk, now=end)
        served += 1
        heapq.heappush(heap, (end, next(seq), "free", index))

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    while heap:
        now, _, what, payload = heapq.heappop(heap)
        if what == "arrive":
            category = _pick(rng, {c: share for c, (share, _m) in CATEGORIES.items()})
            began, cpu = time.perf_counter(), time.thread_time()
            services.ticket_issue(
                actor=kiosk, centre_id=centre.pk, category=category, kind=_pick(rng, KINDS), now=now
            )
            issue_s.append(time.perf_counter() - began)
            issue_cpu.append(time.thread_time() - cpu)
            if idle:
                call(idle.pop(rng.randrange(len(idle))), now)
        else:
            assert isinstance(payload, int)
            call(payload, now)
    run_s = time.perf_counter() - started

    issue, calls = summarise_ms(issue_s), summarise_ms(call_s)
    issue_c, calls_c = summarise_ms(issue_cpu), summarise_ms(call_cpu)
    waits = sorted(waits_min)
    return Result(
        f"hall day: {WINDOWS} windows, {TICKETS} tickets through the services, simulated clock",
        {
            "tickets": len(issue_s),
            "issue_p50_ms": issue["p50_ms"],
            "issue_p95_ms": issue["p95_ms"],
            "calls": len(call_s),
            "call_p50_ms": calls["p50_ms"],
            "call_p95_ms": calls["p95_ms"],
            "issue_cpu_p95_ms": issue_c["p95_ms"],
            "call_cpu_p95_ms": calls_c["p95_ms"],
            "served": served,
            "no_shows": no_shows,
            "converted": converted,
            "wait_p50_min": round(waits[len(waits) // 2], 1) if waits else 0,
            "day_run_s": round(run_s, 1),
            "setup_s": round(setup_s, 1),
            "load_avg_1m": f"{load_before:.1f}→{os.getloadavg()[0]:.1f}",
            f"race_{RACE_THREADS}x{RACE_TICKETS}_duplicate_numbers": duplicates,
        },
        "one process; staff actions audited; events to the in-memory channel layer",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"hall_day": hall_day}
