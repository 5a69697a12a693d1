"""Many kiosks and windows at once, with real threads, each on its own database connection:
numbers are never issued twice, and no ticket is called by two windows.

They run on PostgreSQL, where writers really interleave. SQLite's test database lives in
shared-cache memory, whose table locks fail at once instead of waiting, so threads cannot be
raced there; the hall-day benchmark races kiosks on a SQLite file instead."""

import importlib
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import connection

from onestop.hall import services
from onestop.hall.models import Ticket, TicketEvent
from onestop.hall.tests.factories import at, hall

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture(autouse=True)
def vocabulary():
    """The hall categories and default prefixes come from data migrations, which another
    committing test's flush may have emptied: put them back as the migrations do."""
    for module in (
        "onestop.catalog.migrations.0002_seed_categories_and_themes",
        "onestop.hall.migrations.0002_default_prefixes",
    ):
        importlib.import_module(module).seed(apps, None)


THREADS = 8
TICKETS = 400


def _run(workers: list[Callable[[], None]]) -> list[str]:
    """Run each worker in its own thread, started together; return the errors."""
    start = threading.Barrier(len(workers))
    errors: list[str] = []

    def run(work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # reported by the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_kiosks_issuing_at_once_never_issue_a_number_twice():
    # given one centre and its kiosk
    h = hall(windows=1)

    def kiosk(n: int) -> Callable[[], None]:
        def work() -> None:
            for i in range(TICKETS // THREADS):
                # two series interleaved: social acceptance (F) and consultations (C)
                kind = "consultation" if (n + i) % 2 else "acceptance"
                h.issue("social", kind, now=at(10))

        return work

    # when
    errors = _run([kiosk(n) for n in range(THREADS)])

    # then
    assert errors == []
    displays = list(Ticket.objects.values_list("display", flat=True))
    assert len(displays) == TICKETS
    assert len(set(displays)) == TICKETS
    by_prefix = Counter(d[0] for d in displays)
    for prefix, count in by_prefix.items():
        numbers = sorted(Ticket.objects.filter(prefix=prefix).values_list("number", flat=True))
        assert numbers == list(range(1, count + 1))


def test_windows_calling_at_once_never_call_a_ticket_twice():
    # given eight open windows and 160 people in one line
    h = hall(windows=THREADS)
    for n in range(THREADS):
        h.open(n, now=at(9))
    waiting = 160
    for n in range(waiting):
        h.issue("social", now=at(9, n // 60, n % 60))
    called: list[int] = []
    lock = threading.Lock()

    def window(n: int) -> Callable[[], None]:
        def work() -> None:
            while True:
                called_now = h.called(n, now=at(10))
                if called_now is None:
                    return
                ticket = called_now.ticket
                with lock:
                    called.append(ticket.pk)
                services.ticket_start(actor=h.clerks[n], ticket_id=ticket.pk, now=at(10))
                services.ticket_finish(actor=h.clerks[n], ticket_id=ticket.pk, now=at(10))

        return work

    # when
    errors = _run([window(n) for n in range(THREADS)])

    # then every ticket was called exactly once
    assert errors == []
    assert len(called) == waiting
    assert len(set(called)) == waiting
    assert Ticket.objects.filter(state="done").count() == waiting
    assert TicketEvent.objects.filter(action="called").count() == waiting
    per_window = Counter(
        TicketEvent.objects.filter(action="called").values_list("window_id", flat=True)
    )
    assert len(per_window) == THREADS  # every window took part
