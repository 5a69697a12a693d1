from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.search.relevance.evaluate import (
    QUERIES,
    TARGET_MRR,
    TARGET_RECALL,
    real_catalog_load,
    relevance_evaluate,
    relevance_queries,
    top10_write,
)


class Command(BaseCommand):
    help = (
        "Score the search on the relevance query set: MRR@10 and recall@5, and the rank of "
        "each query that missed. Runs on the current database; --real first loads the real "
        "Guangdong catalog into it (use an empty database). Fails below the targets "
        f"(MRR@10 ≥ {TARGET_MRR}, recall@5 ≥ {TARGET_RECALL})."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--real", action="store_true", help="load the real catalog first")
        parser.add_argument("--queries", type=Path, default=QUERIES, help="the query set")
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
        report = relevance_evaluate(relevance_queries(options["queries"]))
        for result in report.results:
            perfect = result.rank == 1 and result.recall_at_5 == 1
            if perfect and not options["all"]:
                continue
            self.stdout.write(
                f"rank {result.rank or '-':>2}  recall@5 {result.recall_at_5:.2f}  "
                f"[{result.query.form}] {result.query.text}"
            )
            for position, name in enumerate(result.names[:5], start=1):
                mark = "*" if name in result.query.expect else " "
                self.stdout.write(f"      {mark}{position}. {name}")
        if options["write_top10"]:
            top10_write(report, options["write_top10"])
            self.stdout.write(f"top 10 of each query written to {options['write_top10']}")
        summary = (
            f"{len(report.results)} queries: MRR@10 {report.mrr_at_10:.3f} "
            f"(target {TARGET_MRR}), recall@5 {report.recall_at_5:.3f} (target {TARGET_RECALL})"
        )
        if not report.meets_targets:
            raise CommandError(summary + ": below target")
        self.stdout.write(self.style.SUCCESS(summary))
