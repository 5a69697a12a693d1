"""Check-in (签到) of a booking at a centre's kiosk, by its QR or its code.

The hall's kiosk calls `booking_check_in` and then issues a ticket itself. Windows, from the
slot's start: check-in opens `checkin_early` before it; up to `checkin_late` after the start
the person is on time (the hall puts them in line at their slot time); after that, until the
slot's end plus `checkin_late`, they are checked in with `late=True` and the hall treats them
as a walk-in; later than that the booking is a no-show and check-in is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onestop.appointments import policies, tokens
from onestop.appointments.enums import BOOKING, BookingAction, BookingState, ErrorCode
from onestop.appointments.models import Booking
from onestop.appointments.policies import Perm
from onestop.appointments.rules import centre_rules
from onestop.centres.selectors import centre_get_by_id
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.i18n import translated
from onestop.core.service import audited
from onestop.identity.actors import HallDevice, StaffUser

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class CheckIn:
    booking_id: int
    code: str
    person_id: int
    centre_id: int
    category_code: str
    item_key: str
    slot_starts_at: datetime
    slot_ends_at: datetime
    checked_in_at: datetime
    on_time: bool
    late: bool


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i")


def _invalid() -> DomainError:
    return DomainError(
        ErrorCode.CHECKIN_TOKEN_INVALID,
        _("This QR code is not a booking of ours. Ask at the information desk."),
    )


def _find(token_or_code: str) -> Booking:
    text = (token_or_code or "").strip()
    bookings = Booking.objects.select_for_update().select_related("slot", "category", "centre")
    if tokens.looks_like_token(text):
        parsed = tokens.token_read(text)
        if parsed is None:
            raise _invalid()
        booking_id, code = parsed
        booking = bookings.filter(pk=booking_id, code=code).first()
        if booking is None:
            raise _invalid()
        return booking
    code = tokens.code_normalise(text)
    booking = (
        bookings.filter(code=code).first()
        if len(code) == tokens.CODE_LENGTH and set(code) <= set(tokens.CODE_ALPHABET)
        else None
    )
    if booking is None:
        raise NotFound(
            ErrorCode.BOOKING_NOT_FOUND,
            _("No booking has this code. Check the code in your booking message."),
        )
    return booking


def _check_state(booking: Booking) -> None:
    if booking.state == BookingState.CHECKED_IN:
        raise Conflict(
            ErrorCode.CHECKIN_ALREADY_USED,
            _("This booking was already checked in at %(when)s; each booking is used once.")
            % {"when": _local(booking.checked_in_at or booking.created_at)},
        )
    if booking.state == BookingState.CANCELLED:
        raise Conflict(ErrorCode.CHECKIN_CANCELLED, _("This booking was cancelled."))
    if booking.state != BookingState.BOOKED:
        raise Conflict(
            ErrorCode.CHECKIN_TOO_LATE,
            _("This booking has lapsed. Please take a walk-in number."),
            state=booking.state,
        )


@audited("appointments.booking.check_in", timeline=True)
def booking_check_in(
    *,
    actor: HallDevice | StaffUser | None,
    token_or_code: str,
    centre_id: int,
    now: datetime | None = None,
) -> CheckIn:
    """Check a booking in at the centre `centre_id`,
    by the centre's kiosk or staff (None: the platform). Refusals, each changing nothing:
    not_allowed (403, a kiosk of another centre), checkin_token_invalid (422, forged or
    damaged QR), booking_not_found (404, unknown code), checkin_wrong_centre,
    checkin_already_used, checkin_cancelled, checkin_too_early (with `come_back_at`),
    checkin_too_late (all 409)."""
    now = now or timezone.now()
    here = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.CHECK_IN, here.place)
    booking = _find(token_or_code)
    if booking.centre_id != here.pk:
        raise Conflict(
            ErrorCode.CHECKIN_WRONG_CENTRE,
            _("This booking is for %(centre)s, not this centre.")
            % {"centre": translated(booking.centre, "name")},
            centre=booking.centre.code,
        )
    _check_state(booking)
    rules = centre_rules(booking.centre_id)
    slot = booking.slot
    opens = slot.starts_at - rules.checkin_early
    if now < opens:
        raise Conflict(
            ErrorCode.CHECKIN_TOO_EARLY,
            _("Too early: check-in for this booking opens at %(when)s on %(day)s.")
            % {"when": _local(opens), "day": date_format(slot.day, "Y-m-d")},
            come_back_at=opens.isoformat(),
        )
    if now > slot.ends_at + rules.checkin_late:
        raise Conflict(
            ErrorCode.CHECKIN_TOO_LATE,
            _("Your booked time has passed. Please take a walk-in number."),
        )
    late = now > slot.starts_at + rules.checkin_late
    BOOKING.move(
        booking,
        to=BookingState.CHECKED_IN,
        action=BookingAction.CHECK_IN,
        actor=actor,
        at=now,
        fields={"checked_in_at": now, "checked_in_late": late},
        reason="late" if late else "",
    )
    return CheckIn(
        booking_id=booking.pk,
        code=booking.code,
        person_id=booking.person_id,
        centre_id=booking.centre_id,
        category_code=booking.category.code,
        item_key=booking.item_key,
        slot_starts_at=slot.starts_at,
        slot_ends_at=slot.ends_at,
        checked_in_at=now,
        on_time=not late,
        late=late,
    )
