from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.search.relevance.evaluate import (
    QUERY_SETS,
    TARGETS,
    RelevanceReport,
    real_catalog_load,
    relevance_evaluate,
    relevance_evaluate_all,
    relevance_queries,
    top10_write,
)


def _targets() -> str:
    return "; ".join(
        f"{label}: MRR@10 ≥ {mrr}, recall@5 ≥ {recall}" for label, (mrr, recall) in TARGETS.items()
    )


class Command(BaseCommand):
    help = (
        "Score the search on the relevance query sets, Chinese (queries.toml) and English "
        "(queries_en.toml) apart: MRR@10 and recall@5 of each, and the rank of each query "
        "that missed. Runs on the current database; --real first loads the real Guangdong "
        f"catalog into it (use an empty database). Fails below the targets ({_targets()})."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--real", action="store_true", help="load the real catalog first")
        parser.add_argument(
            "--queries", type=Path, default=None, help="one query set of your own instead"
        )
        parser.add_argument(
            "--only", choices=sorted(QUERY_SETS), default=None, help="one of the query sets"
        )
        parser.add_argument(
            "--write-top10",
            type=Path,
            default=None,
            metavar="FILE",
            help="write each query's top 10 item keys to FILE (the golden file of the "
            "test that SQLite and PostgreSQL agree)",
        )
        parser.add_argument("--all", action="store_true", help="list every query, not only misses")

    def handle(self, *args, **options) -> None:
        if options["real"]:
            items = real_catalog_load()
            self.stdout.write(f"real catalog loaded: {items} items, index rebuilt")
        if options["queries"]:
            path = options["queries"]
            reports = [relevance_evaluate(relevance_queries(path), label=path.stem)]
        elif options["only"]:
            reports = [relevance_evaluate(label=options["only"])]
        else:
            reports = relevance_evaluate_all()
        for report in reports:
            self._misses(report, every=options["all"])
        if options["write_top10"]:
            top10_write(reports, options["write_top10"])
            self.stdout.write(f"top 10 of each query written to {options['write_top10']}")
        failed = []
        for report in reports:
            summary = (
                f"{report.label}: {len(report.results)} queries: MRR@10 {report.mrr_at_10:.3f} "
                f"(target {report.target_mrr}), recall@5 {report.recall_at_5:.3f} "
                f"(target {report.target_recall})"
            )
            if report.meets_targets:
                self.stdout.write(self.style.SUCCESS(summary))
            else:
                self.stdout.write(self.style.ERROR(summary + ": below target"))
                failed.append(report.label)
        if failed:
            raise CommandError(f"below target: {', '.join(failed)}")

    def _misses(self, report: RelevanceReport, *, every: bool) -> None:
        for result in report.results:
            perfect = result.rank == 1 and result.recall_at_5 == 1
            if perfect and not every:
                continue
            self.stdout.write(
                f"[{report.label}] rank {result.rank or '-':>2}  recall@5 "
                f"{result.recall_at_5:.2f}  [{result.query.form}] {result.query.text}"
            )
            for position, name in enumerate(result.names[:5], start=1):
                mark = "*" if name in result.query.expect else " "
                self.stdout.write(f"      {mark}{position}. {name}")
