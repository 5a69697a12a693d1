"""At the kiosk the card is the identity: a valid resident ID card seen for the first time
takes a number, its holder registered on first sight."""

import pytest
import time_machine
from django.urls import reverse

from onestop.core.models import AuditEntry
from onestop.hall.models import Ticket
from onestop.hall.tests.factories import at, hall
from onestop.identity.models import Person

pytestmark = pytest.mark.django_db

# The example number of GB 11643: valid, and held by nobody in the tests.
NEW_CARD = "11010519491231002X"


@pytest.fixture(autouse=True)
def ten_to_ten():
    with time_machine.travel(at(9, 50), tick=False):
        yield


@pytest.fixture
def h():
    return hall()


@pytest.fixture
def kiosk(client, h):
    client.force_login(h.kiosk)
    client.cookies["django_language"] = "en"
    return client


def test_a_card_never_seen_takes_a_number_and_registers_its_holder(kiosk, h):
    # when
    response = kiosk.post(
        reverse("hall:kiosk_walk_in"),
        {"category": "social", "kind": "acceptance", "card": NEW_CARD},
    )

    # then
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.person == Person.objects.get()
    assert ticket.person.id_number_masked == "1101**********002X"
    entry = AuditEntry.objects.get(action="person.register_from_card")
    assert entry.actor_id == h.kiosk.pk


def test_the_same_card_later_is_the_same_person(kiosk, h):
    # given
    data = {"category": "social", "kind": "acceptance", "card": NEW_CARD}
    kiosk.post(reverse("hall:kiosk_walk_in"), data)

    # when
    kiosk.post(reverse("hall:kiosk_walk_in"), {**data, "kind": "pickup"})

    # then
    assert Person.objects.count() == 1
    assert {t.person_id for t in Ticket.objects.all()} == {Person.objects.get().pk}


def test_a_card_with_no_booking_is_told_so_at_check_in(kiosk, h):
    # when
    response = kiosk.post(reverse("hall:kiosk_appointment"), {"card": NEW_CARD})

    # then
    assert response.status_code == 404
    assert "no booking for this card" in response.content.decode()
    assert not Person.objects.exists()
