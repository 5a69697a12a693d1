"""`onestop appointments-generate [--days N]`: make the missing slots from today, by the slot
templates (the sweep does this too). Idempotent."""

from django.core.management.base import BaseCommand

from onestop.appointments.services import slots_generate


class Command(BaseCommand):
    help = "Make the coming days' appointment slots from the templates."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="days ahead (default: as far as booking opens)"
        )

    def handle(self, *args, days: int | None, **options) -> None:
        report = slots_generate(days=days)
        self.stdout.write(f"{report.created} slots made over {report.days} days ahead")
