"""`onestop cases-sweep`: store every open case's due date and deadline state, warn the
approvers of cases nearly due or overdue, and close applications whose one-time notice ran
out. Idempotent; run it every few minutes (cron, a systemd timer), keep it running with
`--every 300`, or hand it to the task worker with `--enqueue`."""

import time

from django.core.management.base import BaseCommand

from onestop.cases.services import cases_sweep


class Command(BaseCommand):
    help = "Run the cases sweep (deadlines, warnings, lapsed one-time notices)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")

    def handle(self, *args, every: int, enqueue: bool, **options) -> None:
        if enqueue:
            from onestop.cases.tasks import cases_sweep_task

            result = cases_sweep_task.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        while True:
            report = cases_sweep()
            self.stdout.write(" ".join(f"{k}={v}" for k, v in report.items()))
            if every <= 0:
                return
            time.sleep(every)
