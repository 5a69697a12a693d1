"""Check-in at a centre's kiosk, by QR token or code: on time, late, and every refusal."""

from datetime import timedelta

import pytest

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking
from onestop.appointments.selectors import booking_token, bookings_for_person_today
from onestop.appointments.services import booking_cancel, booking_check_in, booking_create
from onestop.appointments.tests.conftest import NOW, state_of_things
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(alice, slot):
    return booking_create(actor=alice, slot_id=slot.pk, now=NOW)


def refused(code: str, **kwargs) -> DomainError:
    before = state_of_things()
    with pytest.raises(DomainError) as caught:
        booking_check_in(
            actor=kwargs.pop("actor", None), centre_id=kwargs.pop("centre").pk, **kwargs
        )
    assert caught.value.code == code, caught.value.message
    assert state_of_things() == before
    return caught.value


def test_the_qr_checks_in_on_time(booking, centre, slot, clerk):
    # when
    check_in = booking_check_in(
        actor=clerk,
        token_or_code=booking_token(booking),
        centre_id=centre.pk,
        now=slot.starts_at - timedelta(minutes=5),
    )

    # then
    assert check_in.booking_id == booking.pk
    assert check_in.code == booking.code
    assert check_in.person_id == booking.person_id
    assert check_in.category_code == "social"
    assert (check_in.slot_starts_at, check_in.slot_ends_at) == (slot.starts_at, slot.ends_at)
    assert (check_in.on_time, check_in.late) == (True, False)
    booking.refresh_from_db()
    assert booking.state == BookingState.CHECKED_IN
    assert AuditEntry.objects.filter(action="appointments.booking.check_in").count() == 1


def test_the_code_checks_in_too_in_any_case_and_spacing(booking, centre, slot, clerk):
    typed = " ".join(booking.code.lower()[i : i + 4] for i in (0, 4))
    check_in = booking_check_in(
        actor=clerk, token_or_code=typed, centre_id=centre.pk, now=slot.starts_at
    )
    assert check_in.on_time


def test_late_beyond_the_window_still_checks_in_as_late(booking, centre, slot, clerk):
    # 15 minutes after the start is still on time; a minute more is late
    check_in = booking_check_in(
        actor=clerk,
        token_or_code=booking.code,
        centre_id=centre.pk,
        now=slot.starts_at + timedelta(minutes=16),
    )
    assert (check_in.on_time, check_in.late) == (False, True)
    assert Booking.objects.get(pk=booking.pk).checked_in_late


def test_too_early_says_when_to_come_back(booking, centre, slot):
    error = refused(
        "checkin_too_early",
        token_or_code=booking.code,
        centre=centre,
        now=slot.starts_at - timedelta(minutes=31),
    )
    assert error.params["come_back_at"] == (slot.starts_at - timedelta(minutes=30)).isoformat()
    assert "09:30" in error.message


def test_too_late_after_the_slot_and_the_late_window(booking, centre, slot):
    refused(
        "checkin_too_late",
        token_or_code=booking.code,
        centre=centre,
        now=slot.ends_at + timedelta(minutes=16),
    )


def test_a_forged_qr_is_refused(booking, centre, slot):
    token = booking_token(booking)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    error = refused(
        "checkin_token_invalid", token_or_code=forged, centre=centre, now=slot.starts_at
    )
    assert error.status == 422
    # a well-signed token for another booking's code is as bad
    from onestop.appointments.tokens import token_for

    refused(
        "checkin_token_invalid",
        token_or_code=token_for(booking.pk, "ZZZZZZZZ"),
        centre=centre,
        now=slot.starts_at,
    )


def test_a_reused_qr_is_refused(booking, centre, slot, clerk):
    # given
    booking_check_in(
        actor=clerk, token_or_code=booking_token(booking), centre_id=centre.pk, now=slot.starts_at
    )

    # then
    refused(
        "checkin_already_used",
        token_or_code=booking_token(booking),
        centre=centre,
        now=slot.starts_at + timedelta(minutes=1),
    )


def test_another_centre_is_refused(booking, other_centre, slot):
    error = refused(
        "checkin_wrong_centre", token_or_code=booking.code, centre=other_centre, now=slot.starts_at
    )
    assert error.params["centre"] == "gz-th"


def test_a_cancelled_booking_and_an_unknown_code_are_refused(alice, booking, centre, slot):
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)
    refused("checkin_cancelled", token_or_code=booking.code, centre=centre, now=slot.starts_at)
    refused("booking_not_found", token_or_code="23456789", centre=centre, now=slot.starts_at)
    refused("booking_not_found", token_or_code="", centre=centre, now=slot.starts_at)


def test_a_card_finds_todays_open_bookings_at_the_centre(
    alice, booking, centre, other_centre, slot
):
    morning = slot.starts_at - timedelta(hours=1)
    assert bookings_for_person_today(alice.person, centre, morning) == [booking]
    assert bookings_for_person_today(alice.person, other_centre, morning) == []
    assert bookings_for_person_today(alice.person, centre, NOW) == []
