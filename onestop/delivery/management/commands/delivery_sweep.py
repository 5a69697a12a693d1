"""`onestop delivery-sweep`: results left in a pickup locker for more than 7 days go back to
the issuance window (compartment freed, case noted, applicant texted). Idempotent; run it
every hour or so (cron, a systemd timer), or keep it running with `--every 3600`."""

import time

from django.core.management.base import BaseCommand

from onestop.delivery.services import deposits_recover_uncollected


class Command(BaseCommand):
    help = "Move results not collected from the pickup lockers in time back to the window."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int, **options) -> None:
        while True:
            recovered = deposits_recover_uncollected()
            self.stdout.write(f"recovered={recovered}")
            if every <= 0:
                return
            time.sleep(every)
