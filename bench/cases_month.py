"""A month of cases through the real services, the deadline sweep over many open cases, and
the approver's inbox.

- `cases_month`: `CASES` applications (default 2,000; `ONESTOP_BENCH_CASES` to change it, the
  issue's month is 50,000) over 300 items of 40 departments, started at a window, their
  materials provided, accepted, taken, examined, decided, the result produced, dispatched
  to the issuance window and delivered, spread over the working days of December 2026:
  cases per second and the p95 of each transition.
- `cases_sweep`: the sweep over `OPEN` open cases (default 50,000) with clocks started on
  every day of two months and a tenth paused: first run (every case stored), a second run
  the same day (nothing changes) and a run on the next working day (what moved).
- `cases_inbox`: an approver's inbox with 5,000 open cases in the department, first page of
  200, p95 over 50 reads.
"""

from __future__ import annotations

import io
import os
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.harness import Result, summarise_ms

CASES = int(os.environ.get("ONESTOP_BENCH_CASES", "2000"))
OPEN = int(os.environ.get("ONESTOP_BENCH_OPEN_CASES", "50000"))
INBOX = 5000
MONTH_ITEMS = 300
MONTH_DEPARTMENTS = 40
TZ = ZoneInfo("Asia/Shanghai")
SEED = 2026


def _office(department_code: str = "GZ-GAJ"):
    from onestop.cases.tests.factories import office

    return office(department_code=department_code)


def _working_days() -> list[date]:
    from onestop.core.workdays import working_days_in

    return working_days_in(2026, 12)


def _city(items: int, departments: int):
    """`items` published items spread over the first `departments` city departments (limits
    of 3 to 20 working days, a few in natural days), one approver for each department, and
    a centre with a clerk."""
    from onestop.cases.tests.factories import office, staff_of_department
    from onestop.catalog.importing.loader import items_load
    from onestop.catalog.tests.factories import item_draft
    from onestop.catalog.values import Limit
    from onestop.core.access import Role
    from onestop.core.models import Department

    place = office()
    codes = list(
        Department.objects.filter(parent__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)[:departments]
    )
    rng = random.Random(SEED)
    drafts = []
    for n in range(items):
        code = codes[n % len(codes)]
        days = rng.choice([3, 5, 5, 10, 15, 20])
        unit = "natural_days" if n % 10 == 9 else "working_days"
        drafts.append(
            item_draft(
                item_key=f"bench-month-{n:03d}",
                name=f"月度办件{n:03d}",
                department_ref=code,
                promised=Limit(days, unit),
                statutory=Limit(days * 2, unit),
            )
        )
    report = items_load(actor=None, rows=drafts, source="bench")
    assert not report.rejected, report.rejected[:3]
    approvers = {code: staff_of_department(Role.DEPARTMENT_APPROVER, code) for code in codes}
    keyed = [(d.item_key, d.department_ref) for d in drafts]
    return place, keyed, approvers


def run_month() -> Result:
    """CASES applications over 300 items of 40 departments, each through the window and the
    department's approver to the issuance window: start, upload, accept, take, examine,
    decide, produce the result, dispatch to the window, deliver."""
    from onestop.cases import services
    from onestop.cases.tests.factories import PDF

    place, items, approvers = _city(MONTH_ITEMS, MONTH_DEPARTMENTS)
    days = _working_days()
    rng = random.Random(SEED)
    timings: dict[str, list[float]] = defaultdict(list)

    def timed(name, call):
        start = time.perf_counter()
        result = call()
        timings[name].append(time.perf_counter() - start)
        return result

    started = time.perf_counter()
    for n in range(CASES):
        day = days[n * len(days) // CASES]
        now = datetime(day.year, day.month, day.day, 9 + rng.randrange(8), tzinfo=TZ)
        item_key, department = items[rng.randrange(len(items))]
        approver = approvers[department]
        case = timed("start", lambda now=now, key=item_key: place.start(now=now, item_key=key))
        line = case.materials.filter(required=True, provision="missing").first()
        timed(
            "upload",
            lambda case=case, line=line, now=now: services.case_material_upload(
                actor=place.clerk,
                case_id=case.pk,
                material_id=line.material_id,
                content=io.BytesIO(PDF),
                now=now,
            ),
        )
        timed(
            "accept",
            lambda case=case, now=now: services.case_accept(
                actor=place.clerk, case_id=case.pk, now=now
            ),
        )
        later = now + timedelta(days=rng.randrange(1, 4))
        for name, call in (
            ("review", services.case_review_start),
            ("step", services.case_step_complete),
        ):
            timed(
                name,
                lambda c=call, case=case, t=later, a=approver: c(actor=a, case_id=case.pk, now=t),
            )
        timed(
            "decide",
            lambda case=case, t=later, a=approver: services.case_decide(
                actor=a, case_id=case.pk, result="approved", now=t
            ),
        )
        done = later + timedelta(hours=2)
        timed(
            "produce",
            lambda case=case, t=done, a=approver: services.case_result_produce(
                actor=a, case_id=case.pk, now=t
            ),
        )
        for name, call in (
            ("dispatch", services.case_dispatch),
            ("deliver", services.case_deliver),
        ):
            timed(
                name, lambda c=call, case=case, t=done: c(actor=place.clerk, case_id=case.pk, now=t)
            )
    elapsed = time.perf_counter() - started
    figures: dict[str, float | int | str] = {
        "cases": CASES,
        "items": len(items),
        "departments": len(approvers),
        "cases_per_s": round(CASES / elapsed, 1),
        "run_s": round(elapsed, 1),
    }
    for name, samples in timings.items():
        figures[f"{name}_p95_ms"] = summarise_ms(samples)["p95_ms"]
    figures["worst_p95_ms"] = max(float(v) for k, v in figures.items() if k.endswith("_p95_ms"))
    scale = "the issue's month" if CASES >= 50_000 else f"reduced scale ({CASES:,} of 50,000)"
    return Result(
        "cases_month",
        figures,
        f"window to delivery through the services, {scale}; target p95 ≤ 50 ms a transition",
    )


def _bulk_open(place, count: int, *, tag: str, stored: bool = True) -> None:
    """Open cases written in bulk (what the services would have written), for the sweep and
    the inbox: copies of one accepted case with other numbers, days and pauses, each with
    the clock the services store at acceptance (status, due date and marks as of the day it
    was received). Without `stored` they carry no clock at all, as cases written before
    the marks existed."""
    from django.db import connection

    from onestop.cases.models import Case
    from onestop.cases.services._moves import clock_fields

    template = place.accepted()
    rng = random.Random(SEED)
    start = date(2026, 11, 1)
    rows = []
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    clocks: dict[tuple[date, str], dict] = {}
    for n in range(count):
        row = Case(**{f.attname: getattr(template, f.attname) for f in fields})
        row.number = f"BENCH-{tag}-{n:07d}"
        row.received_on = start + timedelta(days=rng.randrange(60))
        row.state = rng.choice(["accepted", "in_review"])
        row.assignee_id = place.approver.pk if row.state == "in_review" else None
        row.pauses = []
        if rng.random() < 0.1:
            pause = row.received_on + timedelta(days=1)
            row.pauses = [[pause.isoformat(), None]]
        row.due_date = row.warn_on = row.severe_on = None
        row.deadline_status = "none"
        if stored:
            key = (row.received_on, repr(row.pauses))
            if key not in clocks:
                # As at acceptance, before any pause: a paused case keeps that due date.
                unpaused = Case(**{f.attname: getattr(row, f.attname) for f in fields})
                unpaused.pauses = []
                clock = clock_fields(unpaused, row.received_on)
                if row.pauses:
                    clock = {**clock, "deadline_status": "paused", "warn_on": None}
                    clock["severe_on"] = None
                clocks[key] = clock
            for name, value in clocks[key].items():
                setattr(row, name, value)
        rows.append(row)
    Case.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        # A live table has planner statistics (autovacuum keeps them); one just bulk-written
        # has none until autovacuum comes by, and PostgreSQL then guesses plans blind.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")


def run_sweep() -> Result:
    """Runs over OPEN open cases accepted over two months, each with the clock stored at
    acceptance: the first moves every case whose status changed since (most of them), the
    second on the same day changes nothing, a third on the next working day writes only the
    cases whose status moved; then a run after a change of the working-day calendar, which
    computes every open case's clock again in Python (as the first run after the marks'
    migration does)."""
    from onestop.cases import services
    from onestop.cases.models import SweepCalendar
    from onestop.core.workdays import calendar_fingerprint, next_working_day

    place = _office()
    _bulk_open(place, OPEN, tag="sweep")
    today = date(2027, 1, 4)
    SweepCalendar.objects.update_or_create(
        pk=1, defaults={"fingerprint": calendar_fingerprint(), "swept_on": today}
    )
    runs = []
    for day, new_calendar in (
        (today, False),
        (today, False),
        (next_working_day(today), False),
        (next_working_day(next_working_day(today)), True),
    ):
        if new_calendar:
            SweepCalendar.objects.update(fingerprint="another calendar")
        start = time.perf_counter()
        report = services.case_deadline_sweep(today=day)
        runs.append((time.perf_counter() - start, report))
    (first_s, first), (second_s, second), (next_s, following), (all_s, every) = runs
    return Result(
        "cases_sweep",
        {
            "open_cases": first.looked_at,
            "changed": first.changed,
            "first_run_s": round(first_s, 2),
            "second_run_s": round(second_s, 2),
            "second_changed": second.changed,
            "next_day_s": round(next_s, 2),
            "next_day_changed": following.changed,
            "new_calendar_s": round(all_s, 2),
            "new_calendar_recomputed": every.recomputed,
        },
        "clocks stored at acceptance: the first run moves every case whose status changed "
        "since; a second run changes nothing; the next working day writes what moved; after "
        "a change of the calendar every clock is computed again",
    )


def run_inbox() -> Result:
    from onestop.cases import selectors

    # A department of its own: the sweep's cases, in the same database, are another's.
    place = _office("GZ-SCJGJ")
    _bulk_open(place, INBOX, tag="inbox")
    samples = []
    for _ in range(50):
        start = time.perf_counter()
        rows = selectors.case_inbox(place.approver)
        samples.append(time.perf_counter() - start)
    assert len(rows) == 200
    return Result(
        "cases_inbox",
        {"open_in_department": INBOX, **summarise_ms(samples)},
        "first page of 200, soonest due first",
    )


BENCHMARKS = {"cases_month": run_month, "cases_sweep": run_sweep, "cases_inbox": run_inbox}
