"""`onestop serve`: the web server and its background workers, as one foreground command.

Runs the web server (granian with the platform's ASGI application: HTTP and WebSockets,
onestop/core/serving.py) and the workers (the notification outbox, django-tasks'
database worker, the appointments sweep and the audit anchorer) as child processes, prints
where to go and how to sign in, and stops them all on Ctrl-C. Production runs the same
processes under its own supervisor instead (docs/operations.md).
"""

import os
import signal
import subprocess
import sys
import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone, translation

from onestop.core.access import Role
from onestop.core.departments import department_get
from onestop.core.errors import DomainError
from onestop.core.serving import web_server_command
from onestop.demo.accounts import DEMO_CITIZEN_PHONE, DEMO_PASSWORD, DEMO_STAFF
from onestop.hotline.demo import HANDLERS_SHOWN, hotline_demo_key


def links_point_at(address: str) -> None:
    """Unless the operator set the public address, links in SMS point where this server
    listens, in this process and the workers it starts (`make demo PORT=8001`). The
    e-licences' issuer stays what it was, so the licences already issued keep verifying."""
    if os.environ.get("ONESTOP_PUBLIC_URL"):
        return
    os.environ.setdefault("ONESTOP_LICENCE_ISSUER_URL", settings.ONESTOP_LICENCE_ISSUER_URL)
    os.environ["ONESTOP_PUBLIC_URL"] = address
    settings.ONESTOP_PUBLIC_URL = address


class Command(BaseCommand):
    help = "Run the platform: web server plus background workers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-workers", action="store_true")
        parser.add_argument(
            "--web-workers",
            dest="workers",
            type=int,
            default=1,
            help="web server processes (each answers HTTP on ONESTOP_HTTP_THREADS threads)",
        )
        parser.add_argument("--server", choices=["granian", "uvicorn"], default="granian")

    def handle(
        self,
        *args,
        host: str,
        port: int,
        no_workers: bool,
        workers: int,
        server: str,
        **options,
    ) -> None:
        python = sys.executable
        address = f"http://{host}:{port}"
        links_point_at(address)
        commands = [web_server_command(host=host, port=port, workers=workers, server=server)]
        if not no_workers:
            commands += [
                [python, "-m", "onestop", "outbox-worker"],
                [python, "-m", "onestop", "db_worker"],
                # No-shows, held seats, reminders and new slots, every minute.
                [python, "-m", "onestop", "appointments-sweep", "--every", "60"],
                # Each audit stream's head, signed into var/audit/anchors.jsonl and the log,
                # every five minutes, so that `onestop audit verify` notices a cut-off tail.
                [python, "-m", "onestop", "audit", "anchor", "--every", "300"],
            ]
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603
        self._banner(address)
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                if any(child.poll() is not None for child in children):
                    self.stderr.write("a platform process exited; stopping the others")
                    break
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _open311_key(self) -> str:
        try:
            return hotline_demo_key(actor=None, now=timezone.now())
        except DatabaseError:
            return "(run make demo first)"

    def _banner(self, url: str) -> None:
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        lines = [
            "",
            f"onestop is running at {url}/  (database: {engine})",
            "",
            f"  Online hall (public):     {url}/",
            f"  Staff sign-in:            {url}/account/login/",
            f"  Citizen sign-in:          {url}/account/citizen/login/",
            f"  Django admin:             {url}/admin/",
            f"  API (OpenAPI):            {url}/api/v1/docs",
            f"  Search:                   {url}/services/search/?q=开饭店",
            f"  Book a visit (citizen):   {url}/appointments/",
            f"  Ticket kiosk (kiosk):     {url}/hall/kiosk/",
            f"  Call board (public):      {url}/hall/board/gz-th/",
            f"  Window console (clerk):   {url}/hall/console/",
            f"  Hall statistics:          {url}/hall/statistics/  (hallmanager)",
            f"  12345 agent console:      {url}/hotline/console/  (agent)",
            f"  12345 dispatch, figures:  {url}/hotline/queue/, {url}/hotline/metrics/"
            "  (dispatcher)",
            f"  12345 department inbox:   {url}/hotline/inbox/  (handler-sthjj-th, ...)",
            f"  12345 tracking (public):  {url}/hotline/track/",
            f"  Open311 GeoReport v2:     {url}/open311/v2/services.json",
            f"  Cases at the window:      {url}/cases/window/  (clerk, with a visitor called)",
            f"  Cases to decide:          {url}/cases/inbox/  (approver, depthead)",
            f"  Case tracking (public):   {url}/cases/track/",
            f"  Case figures:             {url}/cases/figures/  (depthead, approver)",
            f"  Issuance window (clerk):  {url}/delivery/window/",
            f"  Pickup locker (kiosk):    {url}/delivery/locker/",
            f"  E-licence wallet:         {url}/licences/mine/  (citizen)",
            f"  Check a licence (public): {url}/licences/verify/",
            f"  Licence lookup:           {url}/licences/lookup/  (approver, depthead)",
            f"  Open311 API key (new):    {self._open311_key()}",
            "",
            f"  Demo password for every account below: {DEMO_PASSWORD}",
            "",
            f"  {_padded('role', 24)} username",
        ]
        # The banner is in English; each role keeps its Chinese name beside it.
        with translation.override("en"):
            roles = {s.username: str(s.role.label) for s in DEMO_STAFF}
            handler = str(Role.DEPARTMENT_HANDLER.label)
        lines += [
            f"  {_padded(roles[s.username], 24)} {_padded(s.username, 18)} {s.role.label}"
            for s in DEMO_STAFF
        ]
        lines += [
            f"  {_padded(handler, 24)} {_padded(username, 18)} {_department_name(code)}"
            for username, code in HANDLERS_SHOWN
        ]
        lines += [
            f"  {_padded('Citizen (phone)', 24)} {DEMO_CITIZEN_PHONE}",
            "",
            "  SMS codes are printed by the outbox worker (console SMS backend).",
            "  Press Ctrl-C to stop.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()


def _department_name(code: str) -> str:
    try:
        return department_get(code).name
    except DomainError:  # a demo seeded before this department existed
        return code


def _padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns: a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)
