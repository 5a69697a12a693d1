from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    REASON_REQUIRED = "reason_required"
    # Check-in at a kiosk.
    CHECKIN_TOKEN_INVALID = "checkin_token_invalid"  # noqa: S105 - an error code
    CHECKIN_WRONG_CENTRE = "checkin_wrong_centre"
    CHECKIN_ALREADY_USED = "checkin_already_used"
    CHECKIN_CANCELLED = "checkin_cancelled"
    CHECKIN_TOO_EARLY = "checkin_too_early"
    CHECKIN_TOO_LATE = "checkin_too_late"
