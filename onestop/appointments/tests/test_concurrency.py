"""Racing bookings on PostgreSQL, where concurrent writers really interleave: a slot is never
overbooked and a person never holds two bookings the quota forbids."""

import threading
from collections import Counter
from collections.abc import Callable
from datetime import time
from functools import partial

import pytest
from django.db import connection

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking, Slot
from onestop.appointments.services import booking_create, slot_template_create, slots_generate
from onestop.appointments.tests.conftest import NOW, local, slot_at
from onestop.core.errors import DomainError
from onestop.identity.tests.factories import citizen

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def race(actions: list[Callable[[], object]]) -> Counter:
    """Run each action in its own thread, all released at once; count the outcomes."""
    start = threading.Barrier(len(actions))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            start.wait()
            action()
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        except BaseException as exc:  # counted, so the assertion shows it
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def big_slot(admin, centre):
    slot_template_create(
        actor=admin,
        centre_id=centre.pk,
        category_code="business",
        weekdays=range(5),
        start=time(9),
        end=time(10),
        length_minutes=60,
        capacity=10,
    )
    slots_generate(today=NOW.date(), days=3)
    return slot_at(centre, local(2026, 12, 1, 9), category="business")


def test_64_people_racing_for_10_seats_get_exactly_10(big_slot):
    # given
    people = [citizen() for _ in range(64)]

    # when
    outcomes = race(
        [partial(booking_create, actor=who, slot_id=big_slot.pk, now=NOW) for who in people]
    )

    # then
    assert outcomes == Counter({"ok": 10, "slot_full": 54})
    big_slot.refresh_from_db()
    assert big_slot.booked == 10
    assert Booking.objects.filter(slot=big_slot, state=BookingState.BOOKED).count() == 10


def test_one_person_racing_16_bookings_in_a_category_and_day_gets_one(template, centre):
    # given the day's twelve slots of one category, sixteen attempts spread over them
    alice = citizen()
    slots = list(Slot.objects.filter(centre=centre, day=local(2026, 12, 1).date()))
    attempts = [slots[n % len(slots)] for n in range(16)]

    # when
    outcomes = race([partial(booking_create, actor=alice, slot_id=s.pk, now=NOW) for s in attempts])

    # then
    assert outcomes == Counter({"ok": 1, "quota_exceeded": 15})
    assert Booking.objects.filter(person=alice.person).count() == 1
    assert sum(s.booked for s in Slot.objects.filter(pk__in=[s.pk for s in slots])) == 1
