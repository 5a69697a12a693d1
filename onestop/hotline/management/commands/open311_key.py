from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.hotline import services


class Command(BaseCommand):
    help = (
        "Open311 API keys for partners: `onestop open311-key create NAME` prints a new key "
        "once (only its hash is kept); `onestop open311-key revoke NAME` disables it."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("create", help="create a key and print it once").add_argument("name")
        sub.add_parser("revoke", help="revoke a key").add_argument("name")

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "create":
                _row, key = services.open311_key_create(actor=None, name=options["name"])
                self.stdout.write(key)
            else:
                services.open311_key_revoke(actor=None, name=options["name"])
                self.stdout.write(f"revoked {options['name']}")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
