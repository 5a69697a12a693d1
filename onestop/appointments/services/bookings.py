"""Booking a slot and cancelling a booking.

A booking takes its seat with one conditional UPDATE (`booked = booked + 1 WHERE booked <
capacity`), so two requests can never both take the last seat, on PostgreSQL or SQLite. A
person's attempts run one at a time on their `Booker` row (SELECT ... FOR UPDATE), which makes
"at most K open bookings" a locked check; "one active booking per category per day" is also
a partial unique constraint, the database's last word. A refused request changes nothing:
every check raises before the transaction commits.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onestop.appointments import policies, tokens
from onestop.appointments.enums import (
    ACTIVE_STATES,
    BOOKING,
    BookingAction,
    BookingState,
    ErrorCode,
)
from onestop.appointments.models import Booker, Booking, BookingBlock, Slot
from onestop.appointments.rules import CentreRuleSet, centre_rules, person_rules
from onestop.appointments.selectors import access_booking
from onestop.appointments.services.messages import confirmation_send
from onestop.catalog.selectors import item_current
from onestop.centres.selectors import centre_sessions_on
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.service import audited
from onestop.identity.actors import Citizen

CODE_ATTEMPTS = 5


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _slot_for_booking(slot_id: int | str) -> Slot:
    try:
        pk = int(slot_id)
    except (TypeError, ValueError):
        pk = 0
    slot = (
        Slot.objects.select_related("centre", "category")
        .filter(pk=pk, centre__is_active=True)
        .first()
    )
    if slot is None:
        raise NotFound(ErrorCode.SLOT_NOT_FOUND, _("There is no such appointment slot."))
    return slot


def _check_slot_past(slot: Slot, now: datetime) -> None:
    if slot.starts_at <= now:
        raise Conflict(
            ErrorCode.SLOT_PAST,
            _("This time has passed. Choose a later time."),
            starts_at=slot.starts_at.isoformat(),
        )


def _check_slot_open(slot: Slot, rules: CentreRuleSet, now: datetime) -> None:
    """Closed-day and not-yet-open slots are refused before anything is locked."""
    start, end = timezone.localtime(slot.starts_at).time(), timezone.localtime(slot.ends_at).time()
    sessions = centre_sessions_on(slot.centre, slot.day)
    if not any(s.opens <= start and end <= s.closes for s in sessions):
        raise Conflict(
            ErrorCode.CENTRE_CLOSED,
            _("The centre is closed at this time (a holiday or a change of hours)."),
            day=slot.day.isoformat(),
        )
    opens_at = rules.opens_for(slot.day)
    if now < opens_at:
        raise Conflict(
            ErrorCode.BOOKING_NOT_OPEN,
            _("Booking for this day opens at %(when)s.") % {"when": _local(opens_at)},
            opens_at=opens_at.isoformat(),
        )


def _item_key_for(slot: Slot, item_key: str) -> str:
    item_key = (item_key or "").strip()
    if slot.item_key:
        if item_key and item_key != slot.item_key:
            raise DomainError(
                ErrorCode.ITEM_NOT_BOOKABLE, _("This slot is for a different service.")
            )
        return slot.item_key
    if not item_key:
        return ""
    item = item_current(item_key)
    if item.hall_category_id != slot.category_id:
        raise DomainError(
            ErrorCode.ITEM_NOT_BOOKABLE,
            _("This service is handled at a different kind of window; choose its category."),
        )
    return item_key


def _full() -> Conflict:
    return Conflict(
        ErrorCode.SLOT_FULL, _("This time is fully booked. Choose another time or another day.")
    )


def _holds_release(slot: Slot, now: datetime, rules: CentreRuleSet | None = None) -> int:
    """Give back the seats of this slot's cancelled bookings whose hold has passed. Each
    booking gives its seat once: the UPDATE's condition is re-read under the row lock."""
    cutoff = now - (rules or centre_rules(slot.centre_id)).release_hold
    released = Booking.objects.filter(
        slot=slot, state=BookingState.CANCELLED, seat_held=True, cancelled_at__lte=cutoff
    ).update(seat_held=False, seat_released_at=now)
    if released:
        Slot.objects.filter(pk=slot.pk).update(
            booked=F("booked") - released, held=F("held") - released
        )
    return released


def _check_person(person_id: int, slot: Slot, now: datetime) -> None:
    block = (
        BookingBlock.objects.filter(person_id=person_id, lifted_at__isnull=True, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )
    if block is not None:
        raise PermissionDenied(
            ErrorCode.BOOKING_BLOCKED,
            _(
                "You missed %(count)s appointments without cancelling, so you cannot book "
                "until %(until)s."
            )
            % {"count": block.no_shows, "until": _local(block.ends_at)},
            until=block.ends_at.isoformat(),
        )
    mine = Booking.objects.filter(person_id=person_id)
    if mine.filter(category_id=slot.category_id, day=slot.day, state__in=ACTIVE_STATES).exists():
        raise Conflict(
            ErrorCode.QUOTA_EXCEEDED,
            _("You already have a booking for this kind of service on this day."),
            rule="one_per_category_day",
        )
    limit = person_rules().max_open
    if mine.filter(state=BookingState.BOOKED, slot__ends_at__gt=now).count() >= limit:
        raise Conflict(
            ErrorCode.QUOTA_EXCEEDED,
            _("You have %(limit)s open bookings, the most allowed. Cancel one to book another.")
            % {"limit": limit},
            rule="max_open",
            limit=limit,
        )


@audited("appointments.booking.create", timeline=True)
def booking_create(
    *, actor: Citizen, slot_id: int, item_key: str = "", now: datetime | None = None
) -> Booking:
    """Book a seat in a slot for the signed-in citizen, and text them a confirmation.
    Refusals: slot_not_found (404), slot_past, centre_closed, booking_not_open, slot_full,
    quota_exceeded (409), booking_blocked, not_a_citizen (403), item_not_bookable (422)."""
    person_id = policies.require_citizen(actor).person_id
    assert person_id is not None  # a citizen always has their person
    now = now or timezone.now()
    slot = _slot_for_booking(slot_id)
    _check_slot_past(slot, now)
    # Most refusals in a rush are "full": answer them from the slot's row alone, with no
    # lock. A seat that frees a moment later is found by the next attempt.
    if slot.booked >= slot.capacity and not slot.held:
        raise _full()
    rules = centre_rules(slot.centre_id)
    _check_slot_open(slot, rules, now)
    item_key = _item_key_for(slot, item_key)
    try:
        with transaction.atomic():
            Booker.objects.bulk_create([Booker(person_id=person_id)], ignore_conflicts=True)
            Booker.objects.select_for_update().get(person_id=person_id)
            _check_person(person_id, slot, now)
            seats = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"))
            taken = seats.update(booked=F("booked") + 1) or (
                _holds_release(slot, now, rules) and seats.update(booked=F("booked") + 1)
            )
            if not taken:
                raise _full()
            booking = _insert(person_id, slot, item_key, now)
            BOOKING.record(booking, action=BookingAction.CREATE, actor=actor, from_state="", at=now)
            confirmation_send(booking, actor=actor, now=now)
    except IntegrityError:
        # Only the partial unique constraint can fail here: a same-category, same-day
        # booking committed by a request that did not wait on the booker row.
        raise Conflict(
            ErrorCode.QUOTA_EXCEEDED,
            _("You already have a booking for this kind of service on this day."),
            rule="one_per_category_day",
        ) from None
    return booking


def _insert(person_id: int, slot: Slot, item_key: str, now: datetime) -> Booking:
    for _attempt in range(CODE_ATTEMPTS):
        code = tokens.code_new()
        if not Booking.objects.filter(code=code).exists():
            break
    booking = Booking.objects.create(
        person_id=person_id,
        slot=slot,
        centre_id=slot.centre_id,
        category_id=slot.category_id,
        item_key=item_key,
        day=slot.day,
        code=code,
        created_at=now,
    )
    booking.slot = slot
    return booking


@audited("appointments.booking.cancel", timeline=True)
def booking_cancel(*, actor: Citizen, booking_id: int, now: datetime | None = None) -> Booking:
    """Cancel one's own booking up to the centre's cut-off before the slot. The seat stays
    taken for the hold (ONESTOP_BOOKING_RELEASE_HOLD_MINUTES), then returns to the slot."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = access_booking(actor, booking_id, for_update=True)
        if booking.state != BookingState.BOOKED:
            raise Conflict(
                ErrorCode.ILLEGAL_TRANSITION,
                _("Only a booking that is still open can be cancelled."),
                state=booking.state,
            )
        rules = centre_rules(booking.centre_id)
        last = booking.slot.starts_at - rules.cancel_cutoff
        if now > last:
            raise Conflict(
                ErrorCode.CANCEL_TOO_LATE,
                _("Bookings can be cancelled until %(when)s; it is too late now.")
                % {"when": _local(last)},
                cancel_until=last.isoformat(),
            )
        BOOKING.move(
            booking,
            to=BookingState.CANCELLED,
            action=BookingAction.CANCEL,
            actor=actor,
            at=now,
            fields={"cancelled_at": now},
        )
        Slot.objects.filter(pk=booking.slot_id).update(held=F("held") + 1)
        if not rules.release_hold:
            _holds_release(booking.slot, now)
            booking.refresh_from_db(fields=["seat_held", "seat_released_at"])
    return booking


def holds_release_due(*, now: datetime | None = None) -> int:
    """Release every seat whose hold has passed (the sweep's part); returns how many."""
    now = now or timezone.now()
    released = 0
    for slot in Slot.objects.filter(held__gt=0):
        with transaction.atomic():
            released += _holds_release(slot, now)
    return released
