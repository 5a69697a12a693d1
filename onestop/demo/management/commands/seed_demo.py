from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onestop.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the deterministic Guangzhou demo (development and test profiles only)."

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or settings.SETTINGS_MODULE.endswith(".test")):
            raise CommandError("seed-demo makes accounts with a public password: not in production")
        report = seed_demo()
        for what, count in report.created.items():
            self.stdout.write(f"{what}: {count} created")
        self.stdout.write(self.style.SUCCESS("demo data ready"))
