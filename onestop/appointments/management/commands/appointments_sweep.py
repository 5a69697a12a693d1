"""`onestop appointments-sweep`: release held seats, mark no-shows, send tomorrow's reminders
and make the coming days' slots. Idempotent; run it every minute or so (cron, a systemd
timer), or keep it running with `--every 60`, or hand it to the task worker with `--enqueue`."""

import time
from dataclasses import asdict

from django.core.management.base import BaseCommand

from onestop.appointments.services import appointments_sweep


class Command(BaseCommand):
    help = "Run the appointments sweep (no-shows, held seats, reminders, slots)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")

    def handle(self, *args, every: int, enqueue: bool, **options) -> None:
        if enqueue:
            from onestop.appointments.tasks import appointments_sweep_task

            result = appointments_sweep_task.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        while True:
            report = appointments_sweep()
            self.stdout.write(" ".join(f"{k}={v}" for k, v in asdict(report).items()))
            if every <= 0:
                return
            time.sleep(every)
