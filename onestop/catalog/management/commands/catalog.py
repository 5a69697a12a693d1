from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.catalog.demo import catalog_build_demo
from onestop.catalog.enums import ItemLevel
from onestop.catalog.exporting import items_export
from onestop.catalog.importing import FORMATS, items_import
from onestop.core.errors import DomainError

MAX_LISTED = 200


class Command(BaseCommand):
    help = (
        "Service catalog operations. `onestop catalog import FILE` loads a Guangdong or "
        "native catalog file (CSV or XLSX), `onestop catalog export FILE` writes the "
        "published items in the native layout, `onestop catalog build-demo` builds the "
        "demo catalog of four levels on the real regions."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a catalog file; safe to run again")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="csv or xlsx (layout read from the header), or native (native CSV only); "
            "default: from the file's suffix",
        )
        load.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="load nothing if any row is bad",
        )
        dump = sub.add_parser("export", help="write the published items (native layout)")
        dump.add_argument("file", type=Path)
        dump.add_argument("--level", action="append", choices=ItemLevel.values, default=None)
        demo = sub.add_parser(
            "build_demo", aliases=["build-demo"], help="build the four-level demo catalog"
        )
        demo.add_argument(
            "--district",
            action="append",
            default=None,
            help="only this district's code (repeatable); default: every district",
        )

    def handle(self, *args, **options) -> None:
        action = options["action"].replace("-", "_")
        try:
            if action == "import":
                self._import(options)
            elif action == "export":
                report = items_export(path=options["file"], levels=options["level"])
                self.stdout.write(
                    self.style.SUCCESS(f"{report.items} published items written to {report.path}")
                )
            else:
                self._build_demo(options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _import(self, options) -> None:
        report = items_import(
            actor=None,
            path=options["file"],
            file_format=options["format"],
            all_or_nothing=options["all_or_nothing"],
        )
        for problem in report.rejected[:MAX_LISTED]:
            self.stderr.write(str(problem))
        if len(report.rejected) > MAX_LISTED:
            self.stderr.write(f"... and {len(report.rejected) - MAX_LISTED} more rejected rows")
        summary = (
            f"{report.source} ({report.layout} layout): {report.rows} rows, "
            f"{report.created} created, {report.updated} updated (new version), "
            f"{report.unchanged} unchanged, {len(report.rejected)} rejected; "
            f"{report.seconds:.2f} s, {report.items_per_second} rows/s"
        )
        if not report.loaded:
            raise CommandError(
                f"{summary}\nnothing was loaded: {len(report.rejected)} row(s) are bad "
                "and --all-or-nothing was given"
            )
        style = self.style.WARNING if report.rejected else self.style.SUCCESS
        self.stdout.write(style(summary))

    def _build_demo(self, options) -> None:
        report = catalog_build_demo(actor=None, district_codes=options["district"])
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary()))
