from django.core.management.base import BaseCommand

from onestop.search.selectors import search_index_stats
from onestop.search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "The catalog search index. `onestop search-index rebuild` makes it again from the "
        "published catalog (after a bulk import or the demo build); `onestop search-index "
        "stats` says what it holds."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="rebuild the whole index")
        sub.add_parser("stats", help="documents, items and the last rebuild")

    def handle(self, *args, **options) -> None:
        if options["action"] == "rebuild":
            report = search_index_rebuild()
            self.stdout.write(
                self.style.SUCCESS(
                    f"index rebuilt: {report.documents} documents, {report.instances} items, "
                    f"{report.seconds:.1f} s"
                )
            )
            return
        stats = search_index_stats()
        levels = ", ".join(f"{level} {n}" for level, n in sorted(stats.levels.items()))
        self.stdout.write(
            f"{stats.documents} documents, {stats.instances} items ({levels or 'none'}); "
            f"generation {stats.generation}; last rebuilt {stats.rebuilt_at or 'never'} "
            f"in {stats.rebuild_seconds:.1f} s"
        )
