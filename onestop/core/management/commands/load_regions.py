from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.core.regions import region_counts, regions_load


class Command(BaseCommand):
    help = (
        "Load the city's districts, streets/towns and communities/villages "
        "(`onestop load-regions`). Safe to run again: it updates, never duplicates."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="folder with districts.csv, streets.csv and villages.csv (default: packaged)",
        )

    def handle(self, *args, **options) -> None:
        try:
            report = regions_load(directory=options["directory"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"regions: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
        counts = region_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['city']} city, {counts['district']} districts, "
                f"{counts['street']} streets/towns, {counts['community']} communities/villages, "
                f"{counts['non_administrative']} statistics-only units"
            )
        )
