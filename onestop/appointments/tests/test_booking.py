"""Booking and cancelling, and every refusal with its code, changing nothing."""

from datetime import timedelta

import pytest
from django.test import override_settings

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking, BookingBlock, Slot
from onestop.appointments.services import booking_cancel, booking_create
from onestop.appointments.tests.conftest import NOW, local, slot_at, state_of_things
from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.core.workdays import calendar_override_set
from onestop.identity.tests.factories import citizen, staff

pytestmark = pytest.mark.django_db


def refused(code: str, call, *args, **kwargs) -> DomainError:
    before = state_of_things()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert state_of_things() == before
    return caught.value


def test_a_citizen_books_a_seat_with_a_code(alice, slot):
    # when
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)

    # then
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.state == BookingState.BOOKED
    assert booking.person_id == alice.person_id
    assert len(booking.code) == 8
    assert (booking.centre_id, booking.category_id, booking.day) == (
        slot.centre_id,
        slot.category_id,
        slot.day,
    )
    entry = AuditEntry.objects.get(action="appointments.booking.create")
    assert entry.changes["after"]["code"] == booking.code


def test_a_full_slot_is_refused(alice, bob, slot):
    # given
    booking_create(actor=citizen(), slot_id=slot.pk, now=NOW)
    booking_create(actor=bob, slot_id=slot.pk, now=NOW)

    # then
    error = refused("slot_full", booking_create, actor=alice, slot_id=slot.pk, now=NOW)
    assert error.status == 409


def test_a_past_slot_is_refused(alice, slot):
    refused("slot_past", booking_create, actor=alice, slot_id=slot.pk, now=slot.starts_at)


def test_a_missing_slot_is_refused(alice, slot):
    error = refused("slot_not_found", booking_create, actor=alice, slot_id=999999, now=NOW)
    assert error.status == 404
    refused("slot_not_found", booking_create, actor=alice, slot_id="x", now=NOW)


def test_a_slot_on_a_holiday_is_refused(admin, alice, slot):
    # given the day is declared a day off after the slots were made
    calendar_override_set(
        actor=admin, date=slot.day, is_working_day=False, name="闭馆", reason="test"
    )

    # then
    refused("centre_closed", booking_create, actor=alice, slot_id=slot.pk, now=NOW)


def test_booking_opens_days_ahead_at_a_set_time(alice, centre, template):
    # given Tuesday 8 December, which opens on Tuesday 1 December at 08:00
    later = slot_at(centre, local(2026, 12, 8, 10))

    # then
    error = refused("booking_not_open", booking_create, actor=alice, slot_id=later.pk, now=NOW)
    assert error.params["opens_at"] == local(2026, 12, 1, 8).isoformat()
    refused(
        "booking_not_open",
        booking_create,
        actor=alice,
        slot_id=later.pk,
        now=local(2026, 12, 1, 7, 59),
    )
    assert booking_create(actor=alice, slot_id=later.pk, now=local(2026, 12, 1, 8))


def test_one_active_booking_per_category_per_day(alice, centre, slot):
    # given
    booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    afternoon = slot_at(centre, local(2026, 12, 1, 14))

    # then
    error = refused("quota_exceeded", booking_create, actor=alice, slot_id=afternoon.pk, now=NOW)
    assert error.params["rule"] == "one_per_category_day"


@override_settings(ONESTOP_BOOKING_MAX_OPEN=2)
def test_at_most_k_open_bookings(alice, centre, template):
    # given two open bookings on two days
    for day in (1, 2):
        booking_create(actor=alice, slot_id=slot_at(centre, local(2026, 12, day, 10)).pk, now=NOW)

    # then a third is refused
    third = slot_at(centre, local(2026, 12, 3, 10))
    error = refused("quota_exceeded", booking_create, actor=alice, slot_id=third.pk, now=NOW)
    assert error.params == {"rule": "max_open", "limit": 2}


def test_a_blocked_person_cannot_book(alice, slot):
    # given
    BookingBlock.objects.create(
        person_id=alice.person_id, starts_at=NOW, ends_at=NOW + timedelta(days=30), no_shows=3
    )

    # then
    error = refused("booking_blocked", booking_create, actor=alice, slot_id=slot.pk, now=NOW)
    assert error.status == 403


def test_only_citizens_book(slot):
    clerk = staff(Role.WINDOW_CLERK)
    refused("not_a_citizen", booking_create, actor=clerk, slot_id=slot.pk, now=NOW)


def test_an_unknown_service_item_is_refused(alice, slot):
    refused(
        "item_not_found", booking_create, actor=alice, slot_id=slot.pk, item_key="nope", now=NOW
    )


def test_cancelling_keeps_the_seat_for_the_hold_then_releases_it(alice, bob, slot):
    # given a slot of two, both taken
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    booking_create(actor=bob, slot_id=slot.pk, now=NOW)

    # when alice cancels
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)

    # then the seat is not free for a friend within the hold
    assert Slot.objects.values_list("booked", "held").get(pk=slot.pk) == (2, 1)
    friend = citizen()
    refused(
        "slot_full",
        booking_create,
        actor=friend,
        slot_id=slot.pk,
        now=NOW + timedelta(minutes=29),
    )
    # and is after it, taken by the next request without waiting for the sweep
    assert booking_create(actor=friend, slot_id=slot.pk, now=NOW + timedelta(minutes=30))
    assert Slot.objects.values_list("booked", "held").get(pk=slot.pk) == (2, 0)
    booking.refresh_from_db()
    assert (booking.state, booking.seat_held) == (BookingState.CANCELLED, False)


def test_cancel_up_to_the_cut_off(alice, slot):
    # given
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)

    # then an hour before is too late
    error = refused(
        "cancel_too_late",
        booking_cancel,
        actor=alice,
        booking_id=booking.pk,
        now=slot.starts_at - timedelta(minutes=59),
    )
    assert error.params["cancel_until"] == (slot.starts_at - timedelta(hours=1)).isoformat()
    booking_cancel(actor=alice, booking_id=booking.pk, now=slot.starts_at - timedelta(hours=1))
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED


def test_only_ones_own_open_booking_is_cancelled(alice, bob, slot):
    # given
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)

    # then
    refused("booking_not_found", booking_cancel, actor=bob, booking_id=booking.pk, now=NOW)
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)
    refused("illegal_transition", booking_cancel, actor=alice, booking_id=booking.pk, now=NOW)


def test_a_cancelled_booking_frees_the_day_for_another_booking(alice, centre, slot):
    # given
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)

    # when
    again = booking_create(actor=alice, slot_id=slot_at(centre, local(2026, 12, 1, 14)).pk, now=NOW)

    # then
    assert again.state == BookingState.BOOKED
    assert Slot.objects.get(pk=slot.pk).booked == 1  # alice's cancelled seat, still held


def test_a_centre_opens_booking_further_ahead_by_its_own_rules(admin, alice, centre, template):
    from onestop.appointments.services import centre_rules_set

    # given Tuesday 8 December, normally open from 1 December
    later = slot_at(centre, local(2026, 12, 8, 10))

    # when the centre opens booking 14 days ahead
    centre_rules_set(actor=admin, centre_id=centre.pk, open_days_ahead=14)

    # then
    assert booking_create(actor=alice, slot_id=later.pk, now=NOW)
    assert AuditEntry.objects.get(action="appointments.centre_rules.set").changes["after"] == {
        "open_days_ahead": 14
    }


def test_centre_rules_are_checked(admin, centre, other_centre):
    from onestop.appointments.services import centre_rules_set
    from onestop.identity.services import RoleGrant
    from onestop.identity.tests.factories import StaffFactory

    manager = StaffFactory.create(
        roles=[RoleGrant(role=Role.HALL_MANAGER, centre_id=other_centre.pk)]
    )
    refused("not_allowed", centre_rules_set, actor=manager, centre_id=centre.pk, open_days_ahead=3)
    refused(
        "invalid_rules", centre_rules_set, actor=admin, centre_id=centre.pk, open_days_ahead=400
    )
    refused("invalid_rules", centre_rules_set, actor=admin, centre_id=centre.pk, colour="red")
