"""Run the benchmarks and print their figures: `make bench` or `python -m bench`.

Each database kind runs in its own process (Django binds to one database per process):
`--db sqlite`, `--db postgres` or `--db both` (the default when PostgreSQL answers).
`--write` puts the figures into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Result, machine


def _postgres_up() -> bool:
    return subprocess.run(["tools/ensure-postgres"], cwd=ROOT, check=False).returncode == 0


def run_in_this_process(db: str, only: list[str]) -> list[Result]:
    from bench.harness import fresh_database

    fresh_database(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results: list[Result] = []
    for name, bench in discover().items():
        if only and name not in only:
            continue
        print(f"[{db}] {name} ...", file=sys.stderr, flush=True)
        result = bench()
        result.figures = {"db": db, **result.figures}
        results.append(result)
    return results


def discover() -> dict[str, Callable[[], Result]]:
    """Every module of this package that defines `BENCHMARKS` contributes its entries, in
    module-name order; a new benchmark is a new module."""
    import bench

    found: dict[str, Callable[[], Result]] = {}
    for module in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if module.name.startswith("_") or module.name == "harness":
            continue
        found.update(getattr(importlib.import_module(f"bench.{module.name}"), "BENCHMARKS", {}))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        results = run_in_this_process(args.db, args.only)
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
        return

    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in kinds and not _postgres_up():
        print("PostgreSQL is not reachable: running on SQLite only", file=sys.stderr)
        kinds = ["sqlite"]
    results: list[Result] = []
    for kind in kinds:
        child = subprocess.run(
            [sys.executable, "-m", "bench", "--child", "--db", kind, "--only", *args.only],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(child.stderr)
        if child.returncode != 0:
            raise SystemExit(f"benchmarks on {kind} failed")
        results += [Result(**row) for row in json.loads(child.stdout.strip().splitlines()[-1])]

    print(render(results))
    if args.write:
        write_report(render_rows(results))


TABLE_HEAD = "| benchmark | figures | note |\n|---|---|---|\n"


def render_rows(results: list[Result]) -> list[str]:
    lines = []
    for result in results:
        figures = ", ".join(f"{k} {v}" for k, v in result.figures.items())
        lines.append(f"| {result.name} | {figures} | {result.note} |")
    return lines


def render(results: list[Result]) -> str:
    return TABLE_HEAD + "\n".join(render_rows(results))


def _row_key(row: str) -> tuple[str, str]:
    """(benchmark, db) of a table row: a new run replaces only the rows it measured."""
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    db = next((part[3:] for part in cells[1].split(", ") if part.startswith("db ")), "")
    return cells[0], db


def write_report(new_rows: list[str]) -> None:
    """Replace the rows this run measured and keep the others, each under the line saying
    when and where it ran."""
    from datetime import UTC, datetime

    path = Path(ROOT) / "docs" / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}"
    kept: list[str] = []
    if start in text:
        old = text[text.index(start) + len(start) : text.index(end)]
        replaced = {_row_key(row) for row in new_rows}
        kept = [
            row
            for row in old.splitlines()
            if row.startswith("| ")
            and not row.startswith("| benchmark |")
            and _row_key(row) not in replaced
        ]
    # Each benchmark's rows side by side (postgres, then sqlite), whatever run wrote them.
    table = TABLE_HEAD + "\n".join(sorted(kept + new_rows, key=_row_key))
    block = f"{start}\nLatest run {stamp}; rows from earlier runs are kept until re-measured "
    block += f"(same machine).\n\n{table}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
