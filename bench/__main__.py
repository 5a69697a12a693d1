"""Run the benchmarks and print their figures: `make bench` or `python -m bench`.

Each database kind runs in its own process (Django binds to one database per process):
`--db sqlite`, `--db postgres` or `--db both` (the default when PostgreSQL answers).
`--write` puts the figures into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
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
    from bench import catalog_build, foundation

    benchmarks = {**foundation.BENCHMARKS, "catalog_build": catalog_build.catalog_build}
    results: list[Result] = []
    for name, bench in benchmarks.items():
        if only and name not in only:
            continue
        print(f"[{db}] {name} ...", file=sys.stderr, flush=True)
        result = bench()
        result.figures = {"db": db, **result.figures}
        results.append(result)
    return results


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

    table = render(results)
    print(table)
    if args.write:
        write_report(table)


def render(results: list[Result]) -> str:
    lines = []
    for result in results:
        figures = ", ".join(f"{k} {v}" for k, v in result.figures.items())
        lines.append(f"| {result.name} | {figures} | {result.note} |")
    return "| benchmark | figures | note |\n|---|---|---|\n" + "\n".join(lines)


def write_report(table: str) -> None:
    from datetime import UTC, datetime

    path = Path(ROOT) / "docs" / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = f"{start}\nRun {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n\n{table}\n{end}"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
