"""The citizen's booking pages, through the Django client."""

import pytest
import time_machine
from django.urls import reverse

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking
from onestop.appointments.services import booking_create
from onestop.appointments.tests.conftest import NOW, local, slot_at
from onestop.identity.tests.factories import citizen

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


def test_anonymous_visitors_are_sent_to_sign_in(client, template):
    response = client.get(reverse("appointments:book"))
    assert response.status_code == 302
    assert "/account/" in response["Location"]


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
