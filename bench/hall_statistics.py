"""The hall manager's statistics over a big hall's day: 6,000 visits at 200 windows.

The day's timeline is written in bulk (issued with the estimate shown, called, started,
finished; 2 % no-shows after a recall; a tenth of the consultations converted at the window)
with 1,500 ratings, then the five tables of the day are computed as the statistics page
does (two queries and a fold in Python), five times; and the live board once. The figures
are wall times.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.harness import Result, summarise_ms

WINDOWS = 200
VISITS = 6000
RATINGS = 1500
RUNS = 5
SEED = 2026
DAY = date(2026, 12, 1)
TZ = ZoneInfo("Asia/Shanghai")
CATEGORIES = ["registration", "business", "construction", "trade", "social"]
KINDS = {"acceptance": 0.60, "consultation": 0.25, "pickup": 0.15}


def _at(minutes: float) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, 9, tzinfo=TZ) + timedelta(minutes=minutes)


def _setup():
    from datetime import time as clock

    from onestop.catalog.models import HallCategory
    from onestop.centres.services import SessionSpec, centre_create
    from onestop.core.access import Role
    from onestop.core.models import Region
    from onestop.hall import services
    from onestop.hall.models import Ticket, TicketEvent
    from onestop.identity.enums import AccountKind
    from onestop.identity.models import RoleAssignment, User
    from onestop.ratings.models import Rating

    rng = random.Random(SEED)
    admin = User.objects.create_superuser("stats-bench-admin", "stats-bench-password")
    region, _ = Region.objects.get_or_create(code="440106", defaults={"name": "天河区", "level": 2})
    centre = centre_create(
        actor=admin,
        code="stats-bench-hall",
        name="统计基准政务服务中心",
        level="district",
        region=region,
        address="天河路",
        category_codes=CATEGORIES,
        sessions=[SessionSpec(d, clock(8), clock(18)) for d in range(7)],
    )
    manager = User.objects.create(username="stats-bench-manager", kind=AccountKind.STAFF)
    RoleAssignment.objects.create(user=manager, role=Role.HALL_MANAGER, centre_id=centre.pk)
    windows = [
        services.window_create(actor=admin, centre_id=centre.pk, number=n, categories=CATEGORIES)
        for n in range(1, WINDOWS + 1)
    ]
    clerks = User.objects.bulk_create(
        User(username=f"stats-bench-clerk-{n}", kind=AccountKind.STAFF, display_name=f"窗口{n}")
        for n in range(1, WINDOWS + 1)
    )
    categories = {c.code: c for c in HallCategory.objects.filter(code__in=CATEGORIES)}

    tickets: list[Ticket] = []
    plans: list[tuple[float, float, float, int]] = []
    free_at = [0.0] * WINDOWS
    for number in range(1, VISITS + 1):
        arrive = rng.uniform(0, 480)
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        index = min(range(WINDOWS), key=free_at.__getitem__)
        called = max(arrive, free_at[index]) + rng.uniform(0, 3)
        service = rng.lognormvariate(2.3, 0.5)
        free_at[index] = called + 1 + service
        plans.append((arrive, called, service, index))
        tickets.append(
            Ticket(
                centre=centre,
                service_day=DAY,
                kind=kind,
                category=categories[rng.choice(CATEGORIES)],
                prefix="A",
                number=number,
                display=f"A{number:04d}",
                source="walk_in",
                arrived_at=_at(arrive),
                queue_at=_at(arrive),
                state="done",
                window=None,
                public_token=f"stats-bench-{number}",
            )
        )
    tickets = Ticket.objects.bulk_create(tickets)
    events: list[TicketEvent] = []

    def event(ticket, at, action, states, *, seat=(None, None), detail=None):
        (from_state, to_state), (window, clerk) = states, seat
        events.append(
            TicketEvent(
                ticket=ticket,
                centre=centre,
                service_day=DAY,
                at=_at(at),
                action=action,
                from_state=from_state,
                to_state=to_state,
                window=window,
                actor=clerk,
                detail=detail or {},
            )
        )

    for ticket, (arrive, called, service, index) in zip(tickets, plans, strict=True):
        seat = windows[index], clerks[index]
        wait_s = (called - arrive) * 60
        estimate = {
            "optimistic_s": int(wait_s * rng.uniform(0.5, 1.0)),
            "pessimistic_s": int(wait_s * rng.uniform(1.0, 1.8)) + 60,
            "ahead": rng.randint(0, 20),
        }
        event(ticket, arrive, "issued", ("", "waiting"), detail={"estimate": estimate})
        event(ticket, called, "called", ("waiting", "called"), seat=seat, detail={"why": []})
        if rng.random() < 0.02:
            event(ticket, called + 1, "recalled", ("called", "called"), seat=seat)
            event(ticket, called + 2, "no_show", ("called", "no_show"), seat=seat)
            continue
        event(ticket, called + 1, "started", ("called", "serving"), seat=seat)
        event(ticket, called + 1 + service, "finished", ("serving", "done"), seat=seat)
    TicketEvent.objects.bulk_create(events, batch_size=2000)
    Rating.objects.bulk_create(
        Rating(
            ticket=ticket,
            centre=centre,
            service_day=DAY,
            category_id=ticket.category_id,
            kind=ticket.kind,
            window=windows[plans[n][3]],
            clerk=clerks[plans[n][3]],
            level=rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 8, 5, 2])[0],
        )
        for n, ticket in enumerate(tickets[:RATINGS])
    )
    return centre, manager, len(events)


def hall_statistics() -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onestop.hall_statistics import selectors
    from onestop.hall_statistics.enums import TableBy

    centre, manager, event_count = _setup()
    samples: list[float] = []
    with CaptureQueriesContext(connection) as queries:
        manager.role_assignments()
        before = len(queries.captured_queries)
        for _ in range(RUNS):
            began = time.perf_counter()
            result = selectors.statistics_tables(
                actor=manager, centre=centre, start=DAY, end=DAY, by=TableBy.values
            )
            samples.append(time.perf_counter() - began)
        per_run = (len(queries.captured_queries) - before) / RUNS
    total = result.tables["day"][-1]
    began = time.perf_counter()
    selectors.live_board(actor=manager, centre=centre, now=_at(240))
    live_ms = (time.perf_counter() - began) * 1000
    return Result(
        "hall statistics: the five tables of a day and the live board",
        {
            "events": event_count,
            "tickets": total.issued,
            "queries_per_run": per_run,
            **{f"tables_{k}": v for k, v in summarise_ms(samples).items()},
            "live_board_ms": round(live_ms, 2),
        },
        note=f"{WINDOWS} windows, {VISITS} visits, {RATINGS} ratings; five tables of one day",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"hall_statistics": hall_statistics}
