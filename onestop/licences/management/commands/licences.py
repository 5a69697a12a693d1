from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.licences import selectors, services


class Command(BaseCommand):
    help = (
        "E-licence operations. `onestop licences rotate-key` makes a new signing key current; "
        "licences signed with older keys stay verifiable (their keys stay in the JWKS). "
        "`onestop licences expire` marks licences past their validity as expired."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate-key", help="generate a new signing key and make it current")
        sub.add_parser("expire", help="mark licences past their validity as expired")

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "rotate-key":
                kid = services.signing_key_rotate(actor=None)
                published = [key["kid"] for key in selectors.jwks()["keys"]]
                self.stdout.write(self.style.SUCCESS(f"signing key {kid} is current"))
                self.stdout.write(f"published keys: {', '.join(published)}")
            else:
                total = 0
                while count := services.licences_expire(actor=None):
                    total += count
                self.stdout.write(f"{total} licences expired")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
