"""The periodic sweep: release held seats, mark no-shows (and block repeat offenders),
send the day-before reminders, and make the coming days' slots. Every step is idempotent, so
the sweep may run as often as wanted, and two sweeps at once do no harm.

Run by `onestop appointments-sweep` (once, or `--every SECONDS`) or the `appointments_sweep_task`
task of django-tasks (docs/decisions/0009-appointments.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from onestop.appointments.enums import BOOKING, BookingAction, BookingState
from onestop.appointments.models import Booking, BookingBlock
from onestop.appointments.rules import centre_rules, person_rules, reminder_time
from onestop.appointments.services.bookings import holds_release_due
from onestop.appointments.services.messages import reminder_send
from onestop.appointments.services.slots import slots_generate
from onestop.centres.selectors import centre_sessions_on
from onestop.core.audit import audit_record


@dataclass
class SweepReport:
    released: int = 0
    no_shows: int = 0
    expired: int = 0
    blocks: int = 0
    reminders: int = 0
    slots_created: int = 0


def _lapse(booking: Booking, now: datetime, report: SweepReport) -> None:
    """A booking not checked in by its slot's end plus the late window: a no-show, or
    expired when the centre turned out closed that day (not the person's doing)."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().filter(
            pk=booking.pk, state=BookingState.BOOKED
        )
        row = locked.select_related("slot", "centre").first()
        if row is None:
            return
        closed = not centre_sessions_on(row.centre, row.day)
        BOOKING.move(
            row,
            to=BookingState.EXPIRED if closed else BookingState.NO_SHOW,
            action=BookingAction.EXPIRE if closed else BookingAction.NO_SHOW,
            actor=None,
            at=now,
            fields={"no_show_at": None if closed else now},
        )
        if closed:
            report.expired += 1
            return
        report.no_shows += 1
        if _block_if_due(row.person_id, now):
            report.blocks += 1


def _block_if_due(person_id: int, now: datetime) -> bool:
    """Block booking when the person's no-shows since the later of (now - window) and
    their last block reach the limit. Counting from the last block means a lifted or served
    block is not re-imposed by the same no-shows."""
    rules = person_rules()
    blocks = BookingBlock.objects.filter(person_id=person_id)
    if blocks.filter(lifted_at__isnull=True, ends_at__gt=now).exists():
        return False
    since = now - rules.no_show_window
    last = blocks.order_by("-starts_at").first()
    if last is not None and last.starts_at > since:
        since = last.starts_at
    no_shows = Booking.objects.filter(
        person_id=person_id, state=BookingState.NO_SHOW, no_show_at__gt=since
    )
    count = no_shows.count()
    if count < rules.no_show_limit:
        return False
    latest = no_shows.order_by("-no_show_at").values_list("centre_id", flat=True).first()
    block = BookingBlock.objects.create(
        person_id=person_id,
        centre_id=latest,
        starts_at=now,
        ends_at=now + rules.block_for,
        no_shows=count,
    )
    audit_record(
        actor=None,
        action="appointments.booking_block.create",
        obj=block,
        after={"person": person_id, "no_shows": count, "until": block.ends_at.isoformat()},
    )
    return True


def no_shows_mark(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    candidates = Booking.objects.filter(state=BookingState.BOOKED, slot__ends_at__lt=now)
    late_by_centre: dict[int, timedelta] = {}
    for booking in candidates.select_related("slot").order_by("slot__ends_at"):
        late = late_by_centre.setdefault(
            booking.centre_id, centre_rules(booking.centre_id).checkin_late
        )
        if booking.slot.ends_at + late <= now:
            _lapse(booking, now, report)
    return report


def reminders_send(*, now: datetime | None = None) -> int:
    """An SMS the day before each booking, once: the outbox's idempotency key is the
    booking's, and `reminded_at` keeps the sweep from asking again."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < reminder_time():
        return 0
    tomorrow: date = local.date() + timedelta(days=1)
    due = Booking.objects.filter(
        state=BookingState.BOOKED, day=tomorrow, reminded_at__isnull=True
    ).select_related("slot", "centre", "category", "person")
    sent = 0
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            booking.reminded_at = now
            reminder_send(booking, now=now)
            sent += 1
    return sent


def appointments_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = no_shows_mark(now=now)
    report.released = holds_release_due(now=now)
    report.reminders = reminders_send(now=now)
    report.slots_created = slots_generate(today=timezone.localdate(now)).created
    return report
