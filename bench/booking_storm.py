"""The booking storm: 1,000 distinct citizens, 64 at a time, race for 100 one-seat slots
through the real HTTP API under the production web server (granian). Exactly 100 bookings
must be made and every other attempt must be a clean 409 `slot_full`. Reported against the
API floor (the foundation's trivial authenticated endpoint) measured in the same run; the
issue's target ratio is 0.4.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from datetime import time as clock
from datetime import timedelta

from bench.foundation import measure_endpoint, serve_platform, server_stop
from bench.harness import Result, summarise_ms

CITIZENS = 1000
CONCURRENCY = 64
SLOTS = 100
SLOT_MINUTES = 5


def _citizen_tokens() -> list[str]:
    """Persons, citizen accounts and bearer tokens in bulk: the storm measures booking, not
    registration (persons carry no identifiers here, which the storm never reads)."""
    from datetime import date

    from django.contrib.auth.hashers import make_password

    from onestop.identity.enums import AccountKind
    from onestop.identity.models import ApiToken, Person, User
    from onestop.identity.services.tokens import TOKEN_PREFIX, token_hash

    persons = Person.objects.bulk_create(
        Person(name=f"市民{n}", sex="MF"[n % 2], birth_date=date(1980, 1, 1) + timedelta(days=n))
        for n in range(CITIZENS)
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"storm-{n}",
            kind=AccountKind.CITIZEN,
            person=person,
            password=unusable,
        )
        for n, person in enumerate(persons)
    )
    tokens = [f"{TOKEN_PREFIX}storm{n:03d}{'x' * 30}{n:013d}" for n in range(CITIZENS)]
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name="storm", prefix=f"storm{n:03d}", token_hash=token_hash(token))
        for n, (user, token) in enumerate(zip(users, tokens, strict=True))
    )
    return tokens


def _slots() -> list[int]:
    """One centre open 09:00-18:00 every day, booking open 30 days ahead, and 100 one-seat
    five-minute slots on the next working day."""
    from django.utils import timezone

    from onestop.appointments.models import CentreRules, Slot
    from onestop.appointments.services import slot_template_create, slots_generate
    from onestop.centres.services import SessionSpec, centre_create
    from onestop.core.models import Region
    from onestop.core.models.regions import RegionLevel
    from onestop.core.workdays import next_working_day
    from onestop.identity.models import User

    admin = User.objects.create_superuser("storm-admin", "storm-admin-password")
    region, _ = Region.objects.get_or_create(
        code="440106", defaults={"name": "天河区", "level": RegionLevel.DISTRICT}
    )
    centre = centre_create(
        actor=admin,
        code="storm",
        name="压力测试政务服务中心",
        level="district",
        region=region,
        address="天河区",
        category_codes=["social"],
        sessions=[SessionSpec(day, clock(9), clock(18)) for day in range(7)],
    )
    CentreRules.objects.create(centre=centre, open_days_ahead=30, open_time=clock(0))
    slot_template_create(
        actor=admin,
        centre_id=centre.pk,
        category_code="social",
        weekdays=range(7),
        start=clock(9),
        end=clock(17, 20),
        length_minutes=SLOT_MINUTES,
        capacity=1,
    )
    day = next_working_day(timezone.localdate())
    slots_generate(today=day, days=0)
    ids = list(Slot.objects.filter(centre=centre, day=day).values_list("pk", flat=True))
    assert len(ids) == SLOTS, len(ids)
    return ids


async def _storm(base: str, tokens: list[str], slot_ids: list[int]) -> tuple[list, float, Counter]:
    import httpx

    latencies: list[float] = []
    outcomes: Counter = Counter()
    queue = list(enumerate(tokens))
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            while queue:
                n, token = queue.pop()
                began = time.perf_counter()
                response = await client.post(
                    f"{base}/api/v1/appointments/bookings",
                    json={"slot_id": slot_ids[n % len(slot_ids)]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                latencies.append(time.perf_counter() - began)
                if response.status_code == 201:
                    outcomes["booked"] += 1
                elif (
                    response.status_code == 409
                    and response.headers.get("content-type") == "application/problem+json"
                    and response.json().get("code") == "slot_full"
                ):
                    outcomes["full"] += 1
                else:
                    outcomes[f"{response.status_code} {response.text[:80]}"] += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - start
    return latencies, elapsed, outcomes


def booking_storm() -> Result:
    from onestop.appointments.enums import BookingState
    from onestop.appointments.models import Booking, Slot
    from onestop.identity.enums import AccountKind
    from onestop.identity.models import User
    from onestop.identity.services import api_token_issue

    tokens = _citizen_tokens()
    slot_ids = _slots()
    floor_admin = User.objects.get(username="storm-admin")
    floor_machine = User.objects.create_user("storm-floor", None, kind=AccountKind.MACHINE)
    _, floor_token = api_token_issue(actor=floor_admin, user=floor_machine, name="floor")

    process, base = serve_platform()
    try:
        floor = measure_endpoint(
            f"{base}/api/v1/identity/me", {"Authorization": f"Bearer {floor_token}"}
        )
        latencies, elapsed, outcomes = asyncio.run(_storm(base, tokens, slot_ids))
    finally:
        server_stop(process)

    booked = Booking.objects.filter(state=BookingState.BOOKED).count()
    seats = sorted(set(Slot.objects.filter(pk__in=slot_ids).values_list("booked", flat=True)))
    assert outcomes == Counter({"booked": SLOTS, "full": CITIZENS - SLOTS}), outcomes
    assert booked == SLOTS and seats == [1], (booked, seats)
    attempts_per_s = CITIZENS / elapsed
    return Result(
        f"booking storm: {CITIZENS} citizens, {CONCURRENCY} concurrent, {SLOTS} one-seat slots, "
        "POST /api/v1/appointments/bookings (token auth), granian 1 worker",
        {
            "attempts": CITIZENS,
            "booked": outcomes["booked"],
            "full_409": outcomes["full"],
            "attempts_per_s": round(attempts_per_s, 1),
            "bookings_per_s": round(SLOTS / elapsed, 1),
            **summarise_ms(latencies),
            "floor_req_per_s": floor["req_per_s"],
            "ratio_to_floor": round(attempts_per_s / float(floor["req_per_s"]), 2),
        },
        "floor measured in the same run (GET /api/v1/identity/me, 16 concurrent); target "
        "ratio ≥ 0.4; bookings_per_s is the 100 seats over the whole storm",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"booking_storm": booking_storm}
