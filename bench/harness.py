"""What every benchmark shares: a fresh database, timing, percentiles, a result row."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
# Runs that share one PostgreSQL server at the same time each name a database of their own.
BENCH_DB = os.environ.get("BENCH_DB_NAME", "onestop_bench")
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"


@dataclass
class Result:
    name: str
    figures: dict[str, float | int | str] = field(default_factory=dict)
    note: str = ""


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
    }


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def database_url(kind: str, name: str = BENCH_DB) -> str:
    if kind == "postgres":
        return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{BENCH_VAR / name}.sqlite3"


def empty_database(kind: str, name: str = BENCH_DB) -> str:
    """Drop and recreate the database `name` of this kind; returns its URL."""
    url = database_url(kind, name)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(BENCH_VAR / f"{name}.sqlite3") + suffix).unlink(missing_ok=True)
    return url


def fresh_database(kind: str) -> str:
    """Point Django at an empty database of this kind and return its URL."""
    url = empty_database(kind)
    os.environ["DATABASE_URL"] = url
    return url


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
