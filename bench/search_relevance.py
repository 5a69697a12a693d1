"""Search relevance on the real Guangdong catalog: `onestop search-eval --real` in a database
of its own (the other benchmarks fill theirs with the demo catalog, whose derived items
would change the ranking), on the same kind of database as the run, for the Chinese and the
English query sets apart. The issue asks for MRR@10 ≥ 0.80 and recall@5 ≥ 0.90."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable

from bench.harness import ROOT, Result, empty_database, stopwatch

SUMMARY = re.compile(r"(\w+): (\d+) queries: MRR@10 ([\d.]+) .*recall@5 ([\d.]+)")


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def search_relevance() -> Result:
    from django.db import connection

    kind = "postgres" if connection.vendor == "postgresql" else "sqlite"
    env = {**os.environ, "DATABASE_URL": empty_database(kind, "onestop_bench_relevance")}
    _manage(env, "migrate", "--verbosity", "0")
    with stopwatch() as elapsed:
        output = _manage(env, "search_eval", "--real")
    figures: dict[str, float | int | str] = {}
    for label, queries, mrr, recall in SUMMARY.findall(output):
        figures[f"{label}_queries"] = int(queries)
        figures[f"{label}_mrr_at_10"] = float(mrr)
        figures[f"{label}_recall_at_5"] = float(recall)
    if {"zh_queries", "en_queries"} - set(figures):
        raise RuntimeError(f"search_eval printed no summary of both sets:\n{output}")
    return Result(
        "search relevance: the query sets on the real Guangdong catalog (`onestop search-eval "
        "--real`)",
        {**figures, "load_and_score_s": round(elapsed(), 1)},
        "targets MRR@10 ≥ 0.80, recall@5 ≥ 0.90 for each set; queries in "
        "onestop/search/relevance/queries.toml (Chinese) and queries_en.toml (English)",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"search_relevance": search_relevance}
