"""`onestop audit verify` walks every stream of the audit log and checks it against its
latest signed anchor; `onestop audit anchor` signs every stream's head into the anchor file
and the log, once or, with `--every SECONDS`, for as long as it runs."""

import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from onestop.core.audit import AuditReport, anchor_path, audit_anchor, audit_verify


class Command(BaseCommand):
    help = "Audit log operations: `verify` the streams, `anchor` their heads."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute every stream; name the first bad entry of each")
        anchor = sub.add_parser(
            "anchor", help="append each stream's signed head to the anchor file and the log"
        )
        anchor.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, action: str, **options) -> None:
        try:
            if action == "anchor":
                self._anchor(options["every"])
            else:
                self._verify()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _anchor(self, every: int) -> None:
        written: dict[str, tuple[int, str]] = {}
        while True:
            anchors = audit_anchor(skip_unchanged=written)
            written.update({a.stream: (a.seq, a.hash) for a in anchors})
            self.stdout.write(
                f"anchored {len(anchors)} stream(s) in {anchor_path()}: "
                + (", ".join(f"{a.stream} #{a.seq}" for a in anchors) or "no new entries")
            )
            if every <= 0:
                return
            time.sleep(every)

    def _verify(self) -> None:
        report = audit_verify()
        self._print(report)
        if not report.ok:
            broken = [s.stream for s in report.streams if not s.ok]
            raise CommandError(
                "audit log broken"
                + (f" in {', '.join(broken)}" if broken else "")
                + (" and its anchors" if report.anchors.problems else "")
                + f"; {report.checked} entries checked"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {report.checked} entries in {len(report.streams)} stream(s)"
            )
        )

    def _print(self, report: AuditReport) -> None:
        for stream in report.streams:
            anchored = (
                f", anchored at #{stream.anchored_seq}" if stream.anchored_seq else ", not anchored"
            )
            if stream.ok:
                self.stdout.write(f"{stream.stream}: {stream.checked} entries intact{anchored}")
            else:
                self.stderr.write(
                    f"{stream.stream}: BROKEN at #{stream.first_bad_seq} after "
                    f"{stream.checked} good entries: {stream.problem}"
                )
        if not report.anchors.found:
            self.stdout.write(
                f"no anchor file at {anchor_path()}: a stream cut short with its head rewound "
                "cannot be told apart from a shorter one (run `onestop audit anchor --every 300`)"
            )
        else:
            self.stdout.write(f"{report.anchors.lines} anchor line(s) read from {anchor_path()}")
        for problem in report.anchors.problems:
            self.stderr.write(problem)
