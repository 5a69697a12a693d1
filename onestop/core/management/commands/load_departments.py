from django.core.management.base import BaseCommand, CommandError

from onestop.core.departments import departments_load
from onestop.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the demo catalogue of city departments and their district bureaus "
        "(`onestop load-departments`). Needs the regions loaded first."
    )

    def handle(self, *args, **options) -> None:
        try:
            report = departments_load()
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"departments: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged ({report.by_level['city']} city departments, "
                f"{report.by_level['district']} district bureaus)"
            )
        )
