"""The telephony adapter: what the call centre's switch (CTI) tells the hotline about inbound
calls. A real CTI implements `Telephony`; `SimulatedTelephony` generates calls with a
realistic day's shape (quiet nights, a morning and an afternoon peak), queue waits, and
callers who hang up when they wait too long, for the demo, the tests and the benchmark."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.utils import timezone

# Share of a day's calls arriving in each hour (0-23): Guangzhou 12345's shape, peaking
# 9-11 and 14-17, with a trickle through the night on the 7×24 lines.
HOURLY_SHARE: tuple[float, ...] = (
    0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.0, 2.5, 5.5, 8.5, 9.0, 8.0,
    5.5, 6.0, 8.0, 8.5, 7.5, 6.0, 4.0, 3.5, 3.0, 2.5, 1.8, 1.2,
)  # fmt: skip


@dataclass(frozen=True)
class InboundCall:
    external_id: str
    line_code: str
    caller: str
    arrived_at: datetime
    wait_seconds: int
    answered: bool
    talk_seconds: int


class Telephony(Protocol):
    def calls(self, day: date) -> Iterator[InboundCall]: ...


class SimulatedTelephony:
    """`per_day` calls a day over `line_codes` (the first lines busier, as the city
    management and citizen-card lines are), seeded so a run can be repeated."""

    def __init__(self, line_codes: Sequence[str], *, per_day: int = 20_000, seed: int = 12345):
        if not line_codes:
            raise ValueError("the simulator needs at least one line")
        self.line_codes = list(line_codes)
        self.per_day = per_day
        self.seed = seed
        # Zipf-like weights: a few lines take most calls.
        self.weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.line_codes))]

    def calls(self, day: date) -> Iterator[InboundCall]:
        rng = random.Random(f"{self.seed}:{day.isoformat()}")  # noqa: S311 - a simulation
        total = sum(HOURLY_SHARE)
        start = timezone.make_aware(datetime.combine(day, time(0)))
        serial = 0
        for hour, share in enumerate(HOURLY_SHARE):
            count = round(self.per_day * share / total)
            busy = share / max(HOURLY_SHARE)
            for _ in range(count):
                serial += 1
                arrived = start + timedelta(hours=hour, seconds=rng.uniform(0, 3600))
                # Queues grow at the peaks; patience is exponential around 90 seconds.
                wait = int(rng.expovariate(1 / (8 + 40 * busy)))
                patience = rng.expovariate(1 / 90)
                answered = wait <= patience
                talk = int(max(30, rng.gauss(220, 90))) if answered else 0
                yield InboundCall(
                    external_id=f"sim-{day:%Y%m%d}-{serial:06d}",
                    line_code=rng.choices(self.line_codes, self.weights)[0],
                    caller=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                    arrived_at=arrived,
                    wait_seconds=wait if answered else int(min(wait, patience)),
                    answered=answered,
                    talk_seconds=talk,
                )
