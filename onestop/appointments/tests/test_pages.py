"""The citizen's booking pages, through the Django client."""

from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from onestop.appointments.enums import BookingState
from onestop.appointments.hooks import BookingTicket, booking_ticket
from onestop.appointments.models import Booking
from onestop.appointments.services import booking_check_in, booking_create
from onestop.appointments.tests.conftest import NOW, local, slot_at
from onestop.centres.models import Centre
from onestop.core import pii
from onestop.identity.tests.factories import PASSWORD, citizen


def alice_centre() -> Centre:
    return Centre.objects.get(code="gz-th")


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def signed_in(client, alice):
    client.cookies["django_language"] = "en"
    client.force_login(alice)
    return client


def test_anonymous_visitors_see_times_and_are_led_to_the_citizen_sign_in(client, template):
    # the booking page is open to anyone, and its sign-in link comes back to it
    url = f"{reverse('appointments:book')}?district=440106&centre=gz-th&category=social"
    page = client.get(url).content.decode()
    sign_in = f"{reverse('identity:citizen_login')}?next="
    assert sign_in in page
    assert "%3Fdistrict%3D440106%26centre%3Dgz-th%26category%3Dsocial" in page
    assert reverse("identity:login") + "?" not in page

    # every other page of a citizen leads to the citizen sign-in, never the staff one
    for name, args in (("mine", []), ("detail", [1]), ("cancel", [1]), ("qr", [1])):
        response = client.get(reverse(f"appointments:{name}", args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(sign_in), name


def test_a_signed_out_confirmation_signs_in_and_returns_to_the_choice(client, slot):
    # given a session that ended while choosing
    response = client.post(
        reverse("appointments:confirm"),
        {"slot": slot.pk, "centre": "gz-th", "category": "social", "day": "2026-12-01"},
    )

    # then the citizen signs in and comes back to the same choice; nothing is booked
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:citizen_login"))
    assert "day%3D2026-12-01" in response["Location"]
    assert not Booking.objects.exists()


def test_signing_in_returns_to_the_booking_page(client, alice, template):
    # given the sign-in reached from the booking page
    back = f"{reverse('appointments:book')}?district=440106&centre=gz-th"

    # when the citizen signs in with their phone and password
    response = client.post(
        f"{reverse('identity:citizen_login')}?next={quote(back)}",
        {"phone": pii.reveal(alice.person, "phone"), "password": PASSWORD, "next": back},
    )

    # then they are back where they were
    assert response.status_code == 302
    assert response["Location"] == back


def test_the_page_walks_district_centre_category_day_and_time(signed_in, template):
    # district first
    page = signed_in.get(reverse("appointments:book")).content.decode()
    assert '<option value="440106">天河区</option>' in page

    # then the centre's category (the only one) and its days
    page = signed_in.get(reverse("appointments:book"), {"district": "440106", "centre": "gz-th"})
    html = page.content.decode()
    assert "day=2026-12-01" in html
    assert "Opens 12-01 08:00" in html  # Tuesday 8 December

    # then the day's times
    html = signed_in.get(
        reverse("appointments:book"),
        {"district": "440106", "centre": "gz-th", "category": "social", "day": "2026-12-01"},
    ).content.decode()
    assert html.count('name="slot"') == 12
    assert "2 seats left" in html


def test_booking_shows_the_code_and_the_qr(signed_in, alice, centre, slot):
    # when
    response = signed_in.post(
        reverse("appointments:confirm"),
        {"slot": slot.pk, "centre": "gz-th", "category": "social", "day": "2026-12-01"},
        follow=True,
    )

    # then
    booking = Booking.objects.get(person=alice.person)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("appointments:detail", args=[booking.pk])
    assert f"data-booking-code>{booking.code}<" in html
    assert '<svg viewBox="0 0' in html
    mine = signed_in.get(reverse("appointments:mine")).content.decode()
    assert booking.code in mine
    qr = signed_in.get(reverse("appointments:qr", args=[booking.pk]))
    assert qr["Content-Type"] == "image/svg+xml"


def test_a_full_time_says_so_and_books_nothing(signed_in, alice, slot):
    booking_create(actor=citizen(), slot_id=slot.pk)
    booking_create(actor=citizen(), slot_id=slot.pk)

    response = signed_in.post(
        reverse("appointments:confirm"),
        {"slot": slot.pk, "centre": "gz-th", "category": "social", "day": "2026-12-01"},
        follow=True,
    )

    assert "This time is fully booked" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("centre=gz-th&category=social&day=2026-12-01")
    assert not Booking.objects.filter(person=alice.person).exists()


def test_a_day_not_open_yet_says_when_it_opens(signed_in, centre, template):
    html = signed_in.get(
        reverse("appointments:book"),
        {"centre": "gz-th", "category": "social", "day": "2026-12-08"},
    ).content.decode()
    assert "Booking for this day opens at 2026-12-01 08:00." in html
    assert 'name="slot"' not in html


def test_cancel_from_the_booking_page(signed_in, alice, slot):
    booking = booking_create(actor=alice, slot_id=slot.pk)
    response = signed_in.post(reverse("appointments:cancel", args=[booking.pk]), follow=True)
    assert "The booking is cancelled." in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED


def test_someone_elses_booking_is_not_found(signed_in, bob, slot):
    theirs = booking_create(actor=bob, slot_id=slot.pk)
    assert signed_in.get(reverse("appointments:detail", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("appointments:cancel", args=[theirs.pk])).status_code == 404
    assert Booking.objects.get(pk=theirs.pk).state == BookingState.BOOKED


@pytest.fixture
def reference(db):
    from onestop.core.departments import departments_load
    from onestop.core.regions import regions_load

    regions_load()
    departments_load()


def test_an_item_page_link_chooses_the_category(reference, signed_in, centre, template, alice):
    from onestop.catalog.tests.factories import published_item

    # given a social-affairs item, arriving from its page
    item = published_item(name="社会保障卡申领", hall_category_ref="social")
    query = {"item": item.item_key, "centre": "gz-th", "day": "2026-12-01"}

    # when
    html = signed_in.get(reverse("appointments:book"), query).content.decode()

    # then
    assert "For: 社会保障卡申领" in html
    assert f'name="item" value="{item.item_key}"' in html
    assert html.count('name="slot"') == 12
    slot = slot_at(centre, local(2026, 12, 1, 10))
    signed_in.post(reverse("appointments:confirm"), {"slot": slot.pk, "item": item.item_key})
    assert Booking.objects.get(person=alice.person).item_key == item.item_key


def test_a_staff_user_is_told_booking_is_for_citizens(client, template):
    from onestop.core.access import Role
    from onestop.identity.tests.factories import staff

    client.force_login(staff(Role.WINDOW_CLERK))
    html = client.get(reverse("appointments:book")).content.decode()
    assert "Booking is for citizens" in html


def test_a_blocked_citizen_is_told_until_when(signed_in, alice, template):
    from datetime import timedelta

    from onestop.appointments.models import BookingBlock

    BookingBlock.objects.create(
        person=alice.person, starts_at=NOW, ends_at=NOW + timedelta(days=30), no_shows=3
    )
    html = signed_in.get(
        reverse("appointments:book"), {"centre": "gz-th", "day": "2026-12-01"}
    ).content.decode()
    assert "You missed 3 appointments without cancelling" in html
    assert "until 2026-12-30 10:00" in html
    assert 'class="confirm" disabled' in html


def test_an_unblocked_citizen_can_press_book(signed_in, template):
    html = signed_in.get(
        reverse("appointments:book"), {"centre": "gz-th", "day": "2026-12-01"}
    ).content.decode()
    assert "You missed" not in html
    assert '<button type="submit" class="confirm">' in html


def test_the_page_says_the_centres_hours_and_lists_only_days_with_times(signed_in, template):
    # given a centre open on weekdays and Saturday mornings, with weekday slots only
    page = signed_in.get(
        reverse("appointments:book"),
        {"district": "440106", "centre": "gz-th", "category": "social"},
    ).content.decode()

    # then its hours are said as they are (Saturday included), and Saturday, without slots,
    # is not offered
    assert "Mon–Fri" in page and "09:00–12:00, 13:00–17:00" in page
    assert "Sat" in page and "Sun" in page
    assert "weekends" not in page
    assert ">12-05</strong>" not in page  # Saturday 5 December
    assert ">12-04</strong>" in page  # Friday


def test_a_same_day_booking_past_its_cancel_deadline_says_cancelling_is_over(
    signed_in, alice, template
):
    # given a booking made at 10:00 for 10:30 the same day (cancelling stops an hour before)
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        booking = booking_create(
            actor=alice,
            slot_id=slot_at(alice_centre(), local(2026, 12, 1, 10, 30)).pk,
            now=local(2026, 12, 1, 10),
        )
        signed_in.force_login(alice)
        page = signed_in.get(reverse("appointments:detail", args=[booking.pk])).content.decode()

    # then no deadline in the past is offered: the page says cancelling has closed
    assert "data-no-cancel" in page
    assert "Cancel this booking" not in page
    assert "cancel by" not in page


def test_the_booking_page_shows_the_ticket_after_check_in(signed_in, alice, slot, clerk):
    # given a booking checked in at the kiosk, and the hall's ticket for it
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    booking_check_in(
        actor=clerk, token_or_code=booking.code, centre_id=slot.centre_id, now=slot.starts_at
    )
    answer = booking_ticket._answer
    booking_ticket.forget()
    booking_ticket.answer_with(
        lambda code: BookingTicket("A012", "/hall/t/tok/") if code == booking.code else None
    )
    try:
        with time_machine.travel(slot.starts_at, tick=False):
            signed_in.force_login(alice)
            page = signed_in.get(reverse("appointments:detail", args=[booking.pk]))
    finally:
        booking_ticket.forget()
        if answer is not None:
            booking_ticket.answer_with(answer)

    # then the ticket's number, and where to follow it
    body = page.content.decode()
    assert '<p class="ticket__code" data-ticket-number>A012</p>' in body
    assert 'href="/hall/t/tok/"' in body


def test_the_booking_page_says_when_the_reminder_comes(signed_in, alice, slot):
    booking = booking_create(actor=alice, slot_id=slot.pk, now=local(2026, 11, 30, 8, 30))
    page = signed_in.get(reverse("appointments:detail", args=[booking.pk])).content.decode()
    assert "We will remind you by SMS on 2026-11-30 09:00." in page


def test_every_page_offers_the_citizen_sign_in_when_signed_out(client):
    # the home page, a public page a citizen starts from, leads to sign in and back
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("identity:citizen_login")}?next=/"' in page
