"""The ticket kiosk: who may use it, a walk-in's number, an appointment's check-in, and
every bad input shown in large friendly text, changing nothing."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onestop.appointments.models import Booking, Slot
from onestop.appointments.selectors import booking_token
from onestop.appointments.services import booking_create, slot_template_create, slots_generate
from onestop.core.access import Role
from onestop.hall.models import Ticket, TicketEvent
from onestop.hall.tests.factories import at, centre, hall, person, staff_at
from onestop.identity.models import User
from onestop.identity.tests.factories import citizen, platform_admin, staff

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADULT = date(1990, 5, 1)


@pytest.fixture
def h():
    return hall()


@pytest.fixture
def kiosk(client, h):
    client.force_login(h.kiosk)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def ten_to_ten():
    with time_machine.travel(at(9, 50), tick=False):
        yield


def _nothing_issued() -> bool:
    return not Ticket.objects.exists() and not TicketEvent.objects.exists()


def _error(response) -> str:
    html = response.content.decode()
    assert 'class="kiosk__error"' in html
    return html.split('class="kiosk__error-text">')[1].split("</p>")[0]


# --- Who may use it ------------------------------------------------------------------------------


def test_the_kiosk_is_for_the_centres_devices_and_staff(h, client):
    allowed = [h.kiosk, h.clerks[0], h.manager]
    refused = [staff(Role.DEPARTMENT_APPROVER), platform_admin(), citizen()]
    elsewhere = centre()

    for user in allowed:
        client.force_login(user)
        assert h.centre.name in client.get(reverse("hall:kiosk")).content.decode()
    client.force_login(staff_at(elsewhere, Role.HALL_DEVICE))
    assert elsewhere.name in client.get(reverse("hall:kiosk")).content.decode()
    for user in refused:
        client.force_login(user)
        assert client.get(reverse("hall:kiosk")).status_code == 403, user
    client.logout()
    assert client.get(reverse("hall:kiosk")).status_code == 302


def test_the_start_screen_offers_both_ways_in_and_both_languages(kiosk):
    html = kiosk.get(reverse("hall:kiosk")).content.decode()

    assert reverse("hall:kiosk_walk_in") in html
    assert reverse("hall:kiosk_appointment") in html
    assert 'value="zh-hans"' in html and 'value="en"' in html


# --- Walk-in -------------------------------------------------------------------------------------


def test_a_walk_in_steps_through_category_kind_and_card(kiosk, h):
    steps = reverse("hall:kiosk_walk_in")

    categories = kiosk.get(steps).content.decode()
    kinds = kiosk.get(steps, {"category": "social"}).content.decode()
    card = kiosk.get(steps, {"category": "social", "kind": "consultation"}).content.decode()
    timeout = kiosk.get(steps, {"category": "social", "kind": "acceptance"}).content.decode()

    assert 'data-category="social"' in categories and 'data-category="business"' in categories
    assert 'data-kind="consultation"' in kinds
    assert 'name="card"' in card and 'name="skip"' in card
    assert 'name="skip"' not in timeout
    assert 'http-equiv="refresh" content="90;url=/hall/kiosk/"' in timeout


def test_a_consultation_without_a_card_gets_a_number_a_place_and_a_qr(kiosk, h):
    # given someone already waiting
    h.issue("social", "consultation", now=at(9, 40))

    # when
    response = kiosk.post(
        reverse("hall:kiosk_walk_in"), {"category": "social", "kind": "consultation", "skip": "on"}
    )

    # then
    ticket = Ticket.objects.get(display="C002")
    assert response.status_code == 302
    assert response["Location"] == reverse("hall:kiosk_ticket", args=[ticket.public_token])
    assert ticket.person is None and ticket.source == "walk_in"
    page = kiosk.get(response["Location"]).content.decode()
    assert 'data-display="C002"' in page
    assert 'data-ahead="1"' in page
    assert "<svg" in page
    assert 'content="45;url=/hall/kiosk/"' in page
    receipt = kiosk.get(reverse("hall:kiosk_receipt", args=[ticket.public_token])).content.decode()
    assert "C002" in receipt and "80mm" not in receipt and "receipt.css" in receipt


def test_a_card_identifies_the_person_on_an_acceptance(kiosk, h):
    holder = person(born=ADULT, social_security_no="GZ12345678")

    kiosk.post(
        reverse("hall:kiosk_walk_in"),
        {"category": "social", "kind": "acceptance", "card": "GZ12345678"},
    )

    assert Ticket.objects.get().person == holder


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"category": "social", "kind": "acceptance"}, 422, "place your ID card"),
        ({"category": "social", "kind": "acceptance", "skip": "on"}, 422, "place your ID card"),
        ({"category": "social", "kind": "acceptance", "card": "GZ99999999"}, 404, "not registered"),
        ({"category": "social", "kind": "pickup", "card": "hello"}, 422, "neither a resident ID"),
        ({"category": "construction", "kind": "consultation", "skip": "on"}, 422, "does not serve"),
        ({"category": "social", "kind": "sightseeing", "skip": "on"}, 422, "Choose a category"),
    ],
    ids=["no-card", "skip-acceptance", "unknown-card", "unreadable", "not-offered", "bad-kind"],
)
def test_bad_walk_in_input_gets_a_friendly_message_and_no_number(kiosk, data, status, says):
    response = kiosk.post(reverse("hall:kiosk_walk_in"), data)

    assert response.status_code == status
    assert says in _error(response)
    assert _nothing_issued()


def test_a_closed_centre_gives_no_number(kiosk, h):
    with time_machine.travel(at(21), tick=False):
        kiosk.force_login(h.kiosk)  # a new session: the morning's has expired
        start = kiosk.get(reverse("hall:kiosk")).content.decode()
        response = kiosk.post(
            reverse("hall:kiosk_walk_in"),
            {"category": "social", "kind": "consultation", "skip": "on"},
        )

    assert "The centre is closed now." in start
    assert response.status_code == 422
    assert "is closed now" in _error(response)
    assert _nothing_issued()


def test_a_ticket_of_another_centre_is_not_shown(kiosk):
    other = hall()
    ticket = other.issue("social", "consultation", now=at(9, 40))

    response = kiosk.get(reverse("hall:kiosk_ticket", args=[ticket.public_token]))

    assert response.status_code == 404


# --- Appointments --------------------------------------------------------------------------------


def _local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


TUESDAY = date(2026, 12, 1)
MONDAY = date(2026, 11, 30)
CARD = "GZ55550001"


def _book(place) -> Booking:
    """A booking at `place`, Tuesday 1 December 10:00–10:30 (social affairs), made on
    Monday; the holder's social-security card is CARD (or a new one for another centre)."""
    slot_template_create(
        actor=platform_admin(),
        centre_id=place.pk,
        category_code="social",
        weekdays=range(5),
        start=time(9),
        end=time(12),
        length_minutes=30,
        capacity=2,
    )
    slots_generate(today=MONDAY, days=3)
    slot = Slot.objects.get(centre=place, starts_at=_local(TUESDAY, 10))
    holder = citizen() if Booking.objects.exists() else citizen(social_security_no=CARD)
    return booking_create(actor=holder, slot_id=slot.pk, now=_local(MONDAY, 10))


@pytest.fixture
def booking(h):
    return _book(h.centre)


def _check_in(kiosk, **data):
    return kiosk.post(reverse("hall:kiosk_appointment"), data)


def _unused(booking) -> bool:
    return Booking.objects.get(pk=booking.pk).state == "booked" and _nothing_issued()


def test_a_booking_qr_checks_in_and_joins_the_line_at_its_slot(kiosk, booking):
    # when
    response = _check_in(kiosk, code=booking_token(booking))

    # then
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.source, ticket.queue_at, ticket.booking_ref, ticket.kind) == (
        "appointment",
        _local(TUESDAY, 10),
        booking.code,
        "acceptance",
    )
    assert ticket.person_id == booking.person_id
    assert Booking.objects.get(pk=booking.pk).state == "checked_in"
    assert "Appointment checked in" in kiosk.get(response["Location"]).content.decode()


def test_the_booking_code_typed_in_works_as_the_qr_does(kiosk, booking):
    _check_in(kiosk, code=booking.code.lower())

    assert Ticket.objects.get().source == "appointment"


def test_the_holders_card_finds_todays_booking(kiosk, booking):
    response = _check_in(kiosk, card=CARD)

    assert response.status_code == 302
    assert Ticket.objects.get().booking_ref == booking.code


def test_a_late_check_in_gets_a_walk_in_number_with_a_note(kiosk, booking):
    with time_machine.travel(_local(TUESDAY, 10, 20), tick=False):
        response = _check_in(kiosk, code=booking_token(booking))
        page = kiosk.get(response["Location"]).content.decode()

    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.queue_at) == ("walk_in", _local(TUESDAY, 10, 20))
    assert "after your booked time" in page


def test_a_reused_qr_is_refused_and_issues_nothing_more(kiosk, booking):
    _check_in(kiosk, code=booking_token(booking))

    response = _check_in(kiosk, code=booking_token(booking))

    assert response.status_code == 409
    assert "already checked in" in _error(response)
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("when", "code", "refusal"),
    [
        (_local(TUESDAY, 9, 50), "forged", (422, "not a booking of ours")),
        (_local(TUESDAY, 9, 50), "ZZZZ2222", (404, "No booking has this code")),
        (_local(TUESDAY, 9, 0), "token", (409, "Too early")),
        (_local(TUESDAY, 11, 0), "token", (409, "Your booked time has passed")),
        (_local(TUESDAY, 9, 50), "", (422, "Nothing was read")),
    ],
    ids=["forged", "unknown-code", "too-early", "too-late", "empty"],
)
def test_bad_check_ins_get_a_friendly_message_and_change_nothing(
    kiosk, booking, when, code, refusal
):
    status, says = refusal
    text = {"token": booking_token(booking), "forged": booking_token(booking)[:-3] + "xyz"}
    with time_machine.travel(when, tick=False):
        response = _check_in(kiosk, code=text.get(code, code))

    assert response.status_code == status
    assert says in _error(response)
    assert _unused(booking)


def test_a_booking_for_another_centre_is_refused(kiosk, h):
    elsewhere = _book(hall().centre)

    response = _check_in(kiosk, code=booking_token(elsewhere))

    assert response.status_code == 409
    assert "not this centre" in _error(response)
    assert _unused(elsewhere)


def test_a_card_without_a_booking_today_is_told_to_take_a_walk_in_number(kiosk, h):
    person(born=ADULT, social_security_no="GZ55550002")

    response = _check_in(kiosk, card="GZ55550002")

    assert response.status_code == 404
    assert "Please take a walk-in number" in _error(response)
    assert _nothing_issued()


def test_a_hall_refusal_leaves_the_booking_unused(kiosk, booking, h):
    # given: the centre stops serving social affairs after the booking was made
    h.centre.categories.remove(h.centre.categories.get(code="social"))

    response = _check_in(kiosk, code=booking_token(booking))

    assert response.status_code == 422
    assert "does not serve" in _error(response)
    assert _unused(booking)


def test_the_citizens_booking_page_shows_the_ticket_the_kiosk_issued(kiosk, booking):
    # given the booking checked in at the kiosk
    _check_in(kiosk, code=booking.code)
    ticket = Ticket.objects.get()

    # when its holder opens the booking on their phone
    holder = Client()
    holder.force_login(User.objects.get(person_id=booking.person_id))
    holder.cookies["django_language"] = "en"
    page = holder.get(reverse("appointments:detail", args=[booking.pk])).content.decode()

    # then the hall's number, and its live status page, are there
    assert f"data-ticket-number>{ticket.display}</p>" in page
    assert reverse("hall:ticket_status", kwargs={"token": ticket.public_token}) in page
