"""The vocabularies of appointments (预约): a booking's states, its moves (the BOOKING
machine), what its timeline records, and error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.appointments.models import Booking


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("No-show")
    EXPIRED = "expired", _("Expired")


# A booking in these states takes the person's one booking of a category on a day.
ACTIVE_STATES = (BookingState.BOOKED, BookingState.CHECKED_IN)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    BookingState.BOOKED: frozenset(
        {
            BookingState.CANCELLED,
            BookingState.CHECKED_IN,
            BookingState.NO_SHOW,
            BookingState.EXPIRED,
        }
    ),
    BookingState.CANCELLED: frozenset(),
    BookingState.CHECKED_IN: frozenset(),
    BookingState.NO_SHOW: frozenset(),
    BookingState.EXPIRED: frozenset(),
}


class BookingAction(models.TextChoices):
    """What a booking's timeline records."""

    CREATE = "create", _("Booked")
    CONFIRM = "confirm", _("Confirmation sent")
    REMIND = "remind", _("Reminder sent")
    CANCEL = "cancel", _("Cancelled")
    CHECK_IN = "check_in", _("Checked in")
    NO_SHOW = "no_show", _("Marked as not come")
    EXPIRE = "expire", _("Lapsed (centre closed)")


def booking_summary(booking: Booking) -> dict[str, Any]:
    """What the audit log keeps of a booking: no personal data."""
    return {
        "code": booking.code,
        "state": booking.state,
        "slot": booking.slot_id,
        "centre": booking.centre_id,
        "category": booking.category_id,
        "item_key": booking.item_key,
        "day": booking.day.isoformat(),
    }


def _booking_timeline(entry: TimelineEntry[Booking]) -> None:
    # Imported here: the models import this module.
    from onestop.appointments.models import BookingEvent

    BookingEvent.objects.create(
        booking=entry.row,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        at=entry.at,
        note=entry.reason,
    )


def _describe(booking: Booking) -> str:
    return gettext("Booking %(code)s") % {"code": booking.code}


# Every change of a booking's state goes through this machine: the table is checked, the row
# claimed with a conditional UPDATE, and the booking's timeline (BookingEvent) and the audit
# entry `appointments.booking.<action>` written in the service's transaction.
BOOKING: StateMachine[Booking] = StateMachine(
    entity="appointments.booking",
    states=BookingState,
    transitions=ALLOWED_TRANSITIONS,
    summary=booking_summary,
    timeline=_booking_timeline,
    describe=_describe,
)


class ErrorCode(StrEnum):
    SLOT_NOT_FOUND = "slot_not_found"
    SLOT_FULL = "slot_full"
    SLOT_PAST = "slot_past"
    CENTRE_CLOSED = "centre_closed"
    BOOKING_NOT_OPEN = "booking_not_open"
    QUOTA_EXCEEDED = "quota_exceeded"
    BOOKING_BLOCKED = "booking_blocked"
    BOOKING_NOT_FOUND = "booking_not_found"
    BOOKING_NOT_ACTIVE = "booking_not_active"
    CATEGORY_NOT_FOUND = "category_not_found"
    CANCEL_TOO_LATE = "cancel_too_late"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_A_CITIZEN = "not_a_citizen"
    NOT_ALLOWED = "not_allowed"
    INVALID_TEMPLATE = "invalid_template"
    INVALID_RULES = "invalid_rules"
    ITEM_NOT_BOOKABLE = "item_not_bookable"
    BLOCK_NOT_FOUND = "block_not_found"
    BLOCK_LIFTED = "block_lifted"
    TEMPLATE_NOT_FOUND = "template_not_found"
    REASON_REQUIRED = "reason_required"
    # Check-in at a kiosk.
    CHECKIN_TOKEN_INVALID = "checkin_token_invalid"  # noqa: S105 - an error code
    CHECKIN_WRONG_CENTRE = "checkin_wrong_centre"
    CHECKIN_ALREADY_USED = "checkin_already_used"
    CHECKIN_CANCELLED = "checkin_cancelled"
    CHECKIN_TOO_EARLY = "checkin_too_early"
    CHECKIN_TOO_LATE = "checkin_too_late"
