"""`onestop outbox-worker`: deliver the notification outbox until stopped.

Run as many as needed, on as many hosts: claims are compare-and-set, so no two workers send
the same message. SIGTERM or Ctrl-C lets the message in flight finish, hands the rest of the
batch back, and exits.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from onestop.notifications.services import outbox_deliver_due

logger = logging.getLogger("onestop.notifications.worker")


class Command(BaseCommand):
    help = "Deliver due SMS, e-mail and in-app notifications from the outbox, until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="deliver what is due now, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to wait when nothing is due"
        )
        parser.add_argument("--limit", type=int, default=100, help="messages claimed at a time")

    def handle(self, *args, once: bool, interval: float, limit: int, **options) -> None:
        stop = threading.Event()

        def on_signal(signum: int, frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.stdout.write(f"outbox worker started (SMS backend: {settings.ONESTOP_SMS_BACKEND})")
        self.stdout.flush()
        while not stop.is_set():
            if not connection.in_atomic_block:
                # Drop a connection the database closed or that outlived CONN_MAX_AGE, as
                # a request would. (Inside a caller's transaction, as in a test, keep it.)
                close_old_connections()
            try:
                report = outbox_deliver_due(limit=limit, should_stop=stop.is_set)
            except DatabaseError as exc:
                if once:
                    raise CommandError(f"database error: {exc}") from exc
                # The database is away (restart, failover): wait and try again.
                logger.exception("outbox worker: database error")
                stop.wait(interval)
                continue
            if report.claimed:
                self.stdout.write(
                    f"claimed {report.claimed}: sent {report.sent}, retrying "
                    f"{report.retrying}, dead {report.dead}, handed back {report.released}"
                )
                self.stdout.flush()
            if report.claimed < limit:
                if once:
                    break
                stop.wait(interval)
        self.stdout.write("outbox worker stopped")
