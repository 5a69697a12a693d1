"""The sweep: reminders once, no-shows and the block after repeated no-shows, lifting a
block, held seats released, and the coming days' slots made."""

from datetime import time, timedelta

import pytest

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking, BookingBlock, Slot
from onestop.appointments.services import (
    appointments_sweep,
    booking_block_lift,
    booking_cancel,
    booking_create,
)
from onestop.appointments.tests.conftest import NOW, local, slot_at
from onestop.appointments.tests.factories import staff_at
from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.core.workdays import calendar_override_set
from onestop.identity.tests.factories import staff
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_reminder_goes_out_once_the_day_before(alice, slot):
    # given a booking for Tuesday 10:00, made on Monday before the reminder time (09:00)
    booking = booking_create(actor=alice, slot_id=slot.pk, now=local(2026, 11, 30, 8, 30))

    # when the sweep runs on Monday morning before the reminder time, then twice after it
    appointments_sweep(now=local(2026, 11, 30, 8, 30))
    first = appointments_sweep(now=local(2026, 11, 30, 9, 1))
    second = appointments_sweep(now=local(2026, 11, 30, 9, 2))

    # then one SMS, to the person's phone, naming the centre and the time
    assert (first.reminders, second.reminders) == (1, 0)
    message = OutboxMessage.objects.get(template="booking_reminder")
    assert message.idempotency_key == f"booking-reminder-{booking.pk}"
    assert message.context["centre"] == "天河区政务服务中心"
    assert message.context["when"] == "2026-12-01 10:00"
    assert message.recipient_phone_masked == alice.person.phone_masked
    assert list(booking.events.values_list("action", flat=True)) == [
        "create",
        "confirm",
        "remind",
    ]


def test_a_booking_made_when_its_reminder_is_due_is_reminded_by_its_confirmation(alice, slot):
    # given a booking for Tuesday 10:00 made on Monday at 10:00, after the reminder time
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)

    # when the sweep runs afterwards
    report = appointments_sweep(now=local(2026, 11, 30, 10, 5))

    # then one text: the confirmation, which carries the code, and counts as the reminder
    assert report.reminders == 0
    message = OutboxMessage.objects.get()
    assert message.template == "booking_confirmation"
    assert message.context["code"] == booking.code
    assert message.context["when"] == "2026-12-01 10:00"
    booking.refresh_from_db()
    assert booking.reminded_at == NOW
    event = booking.events.get(action="confirm")
    assert event.note == "with_reminder"


def test_no_reminder_for_a_cancelled_booking(alice, slot):
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)
    assert appointments_sweep(now=local(2026, 11, 30, 18)).reminders == 0


def test_a_booking_not_checked_in_becomes_a_no_show_after_the_late_window(alice, slot):
    # given
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)

    # when
    before = appointments_sweep(now=slot.ends_at + timedelta(minutes=14))
    after = appointments_sweep(now=slot.ends_at + timedelta(minutes=15))

    # then
    assert (before.no_shows, after.no_shows) == (0, 1)
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW
    assert AuditEntry.objects.filter(action="appointments.booking.no_show").count() == 1


def no_show(person_user, slot) -> None:
    booking_create(actor=person_user, slot_id=slot.pk, now=slot.starts_at - timedelta(days=1))
    appointments_sweep(now=slot.ends_at + timedelta(hours=1))


def test_three_no_shows_in_90_days_block_booking_for_30_days(alice, centre, template):
    # given no-shows on three days
    for day in (1, 2, 3):
        no_show(alice, slot_at(centre, local(2026, 12, day, 10)))

    # then booking is blocked for 30 days from the third
    block = BookingBlock.objects.get(person=alice.person)
    assert block.no_shows == 3
    third_sweep = local(2026, 12, 3, 11, 30)
    assert block.ends_at == third_sweep + timedelta(days=30)
    later = slot_at(centre, local(2026, 12, 7, 10))
    with pytest.raises(DomainError) as caught:
        booking_create(actor=alice, slot_id=later.pk, now=local(2026, 12, 4, 9))
    assert caught.value.code == "booking_blocked"


def test_two_no_shows_do_not_block(alice, centre, template):
    for day in (1, 2):
        no_show(alice, slot_at(centre, local(2026, 12, day, 10)))
    assert not BookingBlock.objects.exists()


def test_a_block_is_lifted_with_a_reason_by_the_hall_manager_of_its_centre(
    admin, alice, centre, other_centre, template
):
    # given
    for day in (1, 2, 3):
        no_show(alice, slot_at(centre, local(2026, 12, day, 10)))
    block = BookingBlock.objects.get()
    manager = staff_at(Role.HALL_MANAGER, centre)
    elsewhere = staff_at(Role.HALL_MANAGER, other_centre)

    # then a reason is needed, a clerk may not, a manager elsewhere finds no such block,
    # and the lift is audited
    assert block.centre_id == centre.pk
    with pytest.raises(DomainError) as caught:
        booking_block_lift(actor=manager, block_id=block.pk, reason="  ")
    assert caught.value.code == "reason_required"
    with pytest.raises(DomainError) as caught:
        booking_block_lift(actor=staff(Role.WINDOW_CLERK), block_id=block.pk, reason="x")
    assert caught.value.code == "not_allowed"
    with pytest.raises(DomainError) as caught:
        booking_block_lift(actor=elsewhere, block_id=block.pk, reason="x")
    assert caught.value.code == "block_not_found"
    booking_block_lift(actor=manager, block_id=block.pk, reason="市民因病住院，提供了证明")
    block.refresh_from_db()
    assert block.lifted_by == manager
    entry = AuditEntry.objects.get(action="appointments.booking_block.lift")
    assert entry.reason == "市民因病住院，提供了证明"
    later = slot_at(centre, local(2026, 12, 7, 10))
    assert booking_create(actor=alice, slot_id=later.pk, now=local(2026, 12, 4, 9))


def test_a_booking_on_a_day_that_closed_expires_instead(admin, alice, slot):
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    calendar_override_set(actor=admin, date=slot.day, is_working_day=False, reason="台风停工")
    report = appointments_sweep(now=slot.ends_at + timedelta(hours=1))
    assert (report.no_shows, report.expired) == (0, 1)
    assert Booking.objects.get(pk=booking.pk).state == BookingState.EXPIRED


def test_the_sweep_releases_held_seats(alice, slot):
    booking = booking_create(actor=alice, slot_id=slot.pk, now=NOW)
    booking_cancel(actor=alice, booking_id=booking.pk, now=NOW)
    assert appointments_sweep(now=NOW + timedelta(minutes=10)).released == 0
    assert appointments_sweep(now=NOW + timedelta(minutes=31)).released == 1
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_generation_skips_holidays_lunch_and_is_idempotent(admin, centre):
    from onestop.appointments.services import slot_template_create, slots_generate

    slot_template_create(
        actor=admin,
        centre_id=centre.pk,
        category_code="business",
        weekdays=range(5),
        start=time(8),
        end=time(18),
        length_minutes=60,
        capacity=5,
    )
    # Monday 28 September to Sunday 11 October 2026: 1-7 October are National Day holidays,
    # Saturday 10 October is an adjusted working day (调休) with a weekday's hours.
    first = slots_generate(today=local(2026, 9, 28).date(), days=13)
    again = slots_generate(today=local(2026, 9, 28).date(), days=13)

    assert again.created == 0
    days = sorted(set(Slot.objects.values_list("day", flat=True)))
    assert [d.isoformat() for d in days] == [
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
    ]
    # Only whole hours inside 09:00-12:00 and 13:00-17:00: 9, 10, 11, 13, 14, 15, 16.
    hours = sorted(
        {s.starts_at.astimezone(local(2026, 1, 1).tzinfo).hour for s in Slot.objects.all()}
    )
    assert hours == [9, 10, 11, 13, 14, 15, 16]
    assert first.created == 6 * 7
