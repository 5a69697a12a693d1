from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from onestop.notifications.services import outbox_purge


class Command(BaseCommand):
    help = "Delete sent and dead outbox messages older than --days (default 90)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days: int, **options) -> None:
        deleted = outbox_purge(actor=None, before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{deleted} messages older than {days} days deleted")
