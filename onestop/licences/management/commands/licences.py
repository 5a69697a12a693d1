import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.licences import selectors, services

# Columns of a back-issue CSV besides the face fields (named by their keys).
META_COLUMNS = ("holder_code", "holder_name", "valid_from", "valid_until", "number")


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


class Command(BaseCommand):
    help = (
        "E-licence operations. `rotate-key` makes a new signing key current (licences signed "
        "with older keys stay verifiable: their keys stay in the JWKS); `expire` marks "
        "licences past their validity as expired; `import FILE --type CODE` back-issues paper "
        "licences from a CSV (holder_code, holder_name, valid_from, valid_until, number and "
        "one column per face field), reporting every bad row with its line."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate-key", help="generate a new signing key and make it current")
        sub.add_parser("expire", help="mark licences past their validity as expired")
        sub.add_parser(
            "sign-pending", help="sign licences a decision issued whose signing task never ran"
        )
        load = sub.add_parser("import", help="back-issue licences of one type from a CSV")
        load.add_argument("file")
        load.add_argument("--type", required=True, dest="type_code")
        load.add_argument(
            "--all-or-nothing", action="store_true", help="issue none if any row is bad"
        )

    def handle(self, *args, **options) -> None:
        try:
            if options["action"] == "rotate-key":
                kid = services.signing_key_rotate(actor=None)
                published = [key["kid"] for key in selectors.jwks()["keys"]]
                self.stdout.write(self.style.SUCCESS(f"signing key {kid} is current"))
                self.stdout.write(f"published keys: {', '.join(published)}")
            elif options["action"] == "expire":
                total = 0
                while count := services.licences_expire(actor=None):
                    total += count
                self.stdout.write(f"{total} licences expired")
            elif options["action"] == "sign-pending":
                signed = 0
                while count := services.licences_sign_pending(actor=None):
                    signed += count
                self.stdout.write(f"{signed} licences signed")
            else:
                self._import(options)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, options) -> None:
        rows: list[services.BulkRow] = []
        bad: list[tuple[int, str, str]] = []
        with Path(options["file"]).open(encoding="utf-8-sig", newline="") as handle:
            for record in csv.DictReader(handle):
                # Line 1 is the header.
                line = len(rows) + len(bad) + 2
                try:
                    rows.append(
                        services.BulkRow(
                            line=line,
                            holder_code=record.get("holder_code") or "",
                            holder_name=record.get("holder_name") or "",
                            valid_from=_day(record.get("valid_from") or ""),
                            valid_until=_day(record.get("valid_until") or ""),
                            number=record.get("number") or "",
                            face={k: v for k, v in record.items() if k not in META_COLUMNS and v},
                        )
                    )
                except ValueError:
                    bad.append((line, "invalid_date", "valid_from and valid_until are dates"))
        report = services.licence_issue_bulk(
            actor=None,
            type_code=options["type_code"],
            rows=rows if not (bad and options["all_or_nothing"]) else [],
            all_or_nothing=options["all_or_nothing"],
        )
        for line, code, message in sorted(bad + report.errors):
            self.stderr.write(f"line {line}: {code}: {message}")
        self.stdout.write(
            f"{report.issued} licences issued, {len(bad) + len(report.errors)} refused"
        )
        if bad or report.errors:
            raise CommandError("some rows were refused")
