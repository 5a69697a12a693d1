from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.core.pii import keyring, pii_rotate


class Command(BaseCommand):
    help = (
        "Personal-data key operations. `onestop pii rotate` re-encrypts every value with the "
        "first key of ONESTOP_PII_KEYS; keep the old keys listed until it has finished."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="re-encrypt values sealed with older keys")
        rotate.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options) -> None:
        try:
            counts = pii_rotate(batch_size=options["batch_size"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"all values sealed with {keyring().current_kid!r}"))
