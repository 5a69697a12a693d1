import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.hotline import services


class Command(BaseCommand):
    help = (
        "The 12345 hotline's configuration. `onestop hotline load-taxonomy PATH` imports the "
        "three-level request taxonomy (CSV: level1, level2, level3); `onestop hotline "
        "load-lines` configures the merged lines; `onestop hotline sweep` runs the overdue "
        "sweep once; `onestop hotline rollup` rolls up the figures of closed days and of days "
        "changed since (idempotent; `--every N` repeats it every N seconds)."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        taxonomy = sub.add_parser("load-taxonomy", help="import the taxonomy from a CSV file")
        taxonomy.add_argument("path", type=Path)
        sub.add_parser("load-lines", help="configure the merged hotlines")
        sub.add_parser("sweep", help="warn, mark overdue and escalate, time out questions")
        rollup = sub.add_parser("rollup", help="roll up the figures of closed and changed days")
        rollup.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "load-taxonomy":
                counts = services.taxonomy_load(path=options["path"])
                self.stdout.write(f"taxonomy: {counts.as_dict()}")
            elif action == "rollup":
                self._rollup(options["every"])
            elif action == "load-lines":
                counts = services.lines_load()
                self.stdout.write(f"lines: {counts.as_dict()}")
            else:
                report = services.orders_sweep()
                self.stdout.write(str(report))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _rollup(self, every: int) -> None:
        from onestop.hotline.metrics import rollup_days

        while True:
            report = rollup_days()
            self.stdout.write(f"rollup: {report.as_dict()}")
            if every <= 0:
                return
            time.sleep(every)
