from django.core.management.base import BaseCommand, CommandError

from onestop.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log operations. `onestop audit verify` walks the hash chain."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the chain; name the first altered entry")

    def handle(self, *args, **options) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain broken after {report.checked} entries: {report.problem}"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} entries"))
