"""A month of cases for one department through the real services, the deadline sweep over
many open cases, and the approver's inbox.

- `cases_month`: `CASES` applications (default 2,000; `ONESTOP_BENCH_CASES` to change it, the
  issue's target is 50,000 over 300 items and 40 departments) started at a window, their
  materials provided, accepted, taken, examined and decided, spread over the working days
  of December 2026: cases per second and the p95 of each transition.
- `cases_sweep`: the sweep over `OPEN` open cases (default 50,000) with clocks started on
  every day of two months and a tenth paused, first run (every case stored) and a second
  run (nothing changes).
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
TZ = ZoneInfo("Asia/Shanghai")
SEED = 2026


def _office(department_code: str = "GZ-GAJ"):
    from onestop.cases.tests.factories import office

    return office(department_code=department_code)


def _working_days() -> list[date]:
    from onestop.core.workdays import working_days_in

    return working_days_in(2026, 12)


def run_month() -> Result:
    from onestop.cases import services
    from onestop.cases.tests.factories import PDF

    place = _office()
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
        case = timed("start", lambda now=now: place.start(now=now))
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
        timed(
            "review",
            lambda case=case, t=later: services.case_review_start(
                actor=place.approver, case_id=case.pk, now=t
            ),
        )
        timed(
            "step",
            lambda case=case, t=later: services.case_step_complete(
                actor=place.approver, case_id=case.pk, now=t
            ),
        )
        timed(
            "decide",
            lambda case=case, t=later: services.case_decide(
                actor=place.approver, case_id=case.pk, result="approved", now=t
            ),
        )
    elapsed = time.perf_counter() - started
    figures: dict[str, float | int | str] = {
        "cases": CASES,
        "cases_per_s": round(CASES / elapsed, 1),
    }
    for name, samples in timings.items():
        figures[f"{name}_p95_ms"] = summarise_ms(samples)["p95_ms"]
    return Result("cases_month", figures, "window to decision through the services")


def _bulk_open(place, count: int, *, tag: str, stored: bool = False) -> None:
    """Open cases written in bulk (what the services would have written), for the sweep and
    the inbox: copies of one accepted case with other numbers, days and pauses. `stored`
    gives each the due date and status the services store at acceptance (the inbox reads
    them); without it they are left for the sweep to store (the sweep's first run)."""
    from onestop.cases import selectors
    from onestop.cases.models import Case

    template = place.accepted()
    rng = random.Random(SEED)
    start = date(2026, 11, 1)
    rows = []
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    for n in range(count):
        row = Case(**{f.attname: getattr(template, f.attname) for f in fields})
        row.number = f"BENCH-{tag}-{n:07d}"
        row.received_on = start + timedelta(days=rng.randrange(60))
        row.state = rng.choice(["accepted", "in_review"])
        row.assignee_id = place.approver.pk if row.state == "in_review" else None
        if rng.random() < 0.1:
            pause = row.received_on + timedelta(days=1)
            row.pauses = [[pause.isoformat(), None]]
        row.due_date = None
        row.deadline_status = "none"
        if stored:
            clock = selectors.case_clock(row, row.received_on)
            row.deadline_status, row.due_date = clock.status, clock.due_date
            if clock.due_date is None:  # paused on its first day: the due date before it
                unpaused = Case(**{f.attname: getattr(row, f.attname) for f in fields})
                unpaused.pauses = []
                row.due_date = selectors.case_clock(unpaused, row.received_on).due_date
        rows.append(row)
    Case.objects.bulk_create(rows, batch_size=2000)


def run_sweep() -> Result:
    from onestop.cases import services

    place = _office()
    _bulk_open(place, OPEN, tag="sweep")
    today = date(2027, 1, 4)
    start = time.perf_counter()
    first = services.case_deadline_sweep(today=today)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    second = services.case_deadline_sweep(today=today)
    second_s = time.perf_counter() - start
    return Result(
        "cases_sweep",
        {
            "open_cases": first.looked_at,
            "changed": first.changed,
            "first_run_s": round(first_s, 2),
            "second_run_s": round(second_s, 2),
            "second_changed": second.changed,
        },
        "every open case's due date and state stored; a second run changes nothing",
    )


def run_inbox() -> Result:
    from onestop.cases import selectors

    # A department of its own: the sweep's cases, in the same database, are another's.
    place = _office("GZ-SCJGJ")
    _bulk_open(place, INBOX, tag="inbox", stored=True)
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
