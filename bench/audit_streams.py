"""Audit streams under concurrent writers: 8 writer threads, each with its own database
connection, appending one entry per transaction, spread over 4 streams and then all into 1
stream, in the same run; and one writer alone, as the single chain was measured."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bench.harness import Result, summarise_ms

WRITERS = 8
STREAMS = 4
APPENDS_PER_WRITER = 150
ROUNDS = 2
SINGLE_APPENDS = 1000


def _append(stream: str, n: int) -> None:
    from django.db import transaction

    from onestop.core.audit import audit_record

    with transaction.atomic():
        audit_record(
            actor=None,
            action="bench.append",
            object_type=f"{stream}.thing",
            object_id=n,
            after={"n": n},
        )


def _writers(stream_of: Callable[[int], str]) -> tuple[float, list[float]]:
    """Run WRITERS threads released together; (elapsed seconds, per-append seconds)."""
    from django.db import connection

    start = threading.Barrier(WRITERS + 1)
    samples: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def write(index: int) -> None:
        mine: list[float] = []
        try:
            start.wait()
            for n in range(APPENDS_PER_WRITER):
                began = time.perf_counter()
                _append(stream_of(index), n)
                mine.append(time.perf_counter() - began)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return elapsed, samples


def audit_streams() -> Result:
    from onestop.core.audit import audit_verify

    began = time.perf_counter()
    for n in range(SINGLE_APPENDS):
        _append("solo", n)
    single_per_s = SINGLE_APPENDS / (time.perf_counter() - began)

    spread_s, one_s = 0.0, 0.0
    spread_samples: list[float] = []
    one_samples: list[float] = []
    # Alternating rounds, so that neither layout gets the quieter moments of a shared machine.
    for _ in range(ROUNDS):
        elapsed, samples = _writers(lambda index: f"spread{index % STREAMS}")
        spread_s += elapsed
        spread_samples += samples
        elapsed, samples = _writers(lambda index: "one")
        one_s += elapsed
        one_samples += samples
    total = WRITERS * APPENDS_PER_WRITER * ROUNDS
    spread_per_s = total / spread_s
    one_per_s = total / one_s

    verify_began = time.perf_counter()
    report = audit_verify()
    verify_s = time.perf_counter() - verify_began
    assert report.ok, [s.problem for s in report.streams if not s.ok]
    assert report.checked == SINGLE_APPENDS + 2 * total, report.checked

    def latency(prefix: str, samples: list[float]) -> dict[str, float]:
        return {f"{prefix}_{k}": v for k, v in summarise_ms(samples).items() if k != "max_ms"}

    return Result(
        f"audit streams: {WRITERS} writers over {STREAMS} streams vs into 1 stream, "
        "one transaction per append",
        {
            "appends_per_layout": total,
            "streams4_per_s": round(spread_per_s, 1),
            **latency("streams4", spread_samples),
            "stream1_per_s": round(one_per_s, 1),
            **latency("stream1", one_samples),
            "ratio_4_to_1": round(spread_per_s / one_per_s, 2),
            "single_writer_per_s": round(single_per_s, 1),
            "verify_entries_per_s": round(report.checked / verify_s, 1),
        },
        "writer threads each hold a connection of their own; client and database share the 2 cores",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"audit_streams": audit_streams}
