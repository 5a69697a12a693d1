"""The texts a booking sends: a confirmation when it is made, and a reminder on the day
before (sent by the sweep from ONESTOP_BOOKING_REMINDER_TIME).

A booking made when its reminder is already due (the visit is the same day, or the next day
after the reminder time) gets no second text a moment after the first: its confirmation says
everything the reminder would, and the booking records the reminder as sent with it. Nothing
is silently dropped: the booking's timeline says what was sent, and its page says so too.
Both go through the notifications outbox, in the booking's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format

from onestop.appointments.enums import BOOKING, BookingAction
from onestop.appointments.models import Booking
from onestop.appointments.rules import reminder_time
from onestop.catalog.selectors import item_current
from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import DomainError, NotFound
from onestop.core.i18n import translated
from onestop.notifications.enums import Language
from onestop.notifications.services import outbox_enqueue

NOT_AUDITED = {
    "confirmation_send": "a step of booking_create, whose audit and timeline it writes into",
}

# A person without a usable mobile number gets no text; the booking stands.
NO_RECIPIENT = ("invalid_phone", "missing_recipient")


def reminder_due_at(booking: Booking) -> datetime:
    """When the day-before reminder of this booking is sent."""
    return timezone.make_aware(datetime.combine(booking.day - timedelta(days=1), reminder_time()))


def _language() -> str:
    language = (translation.get_language() or Language.ZH_HANS).lower()
    if language.startswith("en"):
        return Language.EN
    if language in ("zh-hant", "zh-tw", "zh-hk"):
        return Language.ZH_HANT
    return Language.ZH_HANS


def _service_name(booking: Booking, language: str) -> str:
    if booking.item_key:
        try:
            return translated(item_current(booking.item_key), "name", language)
        except NotFound:
            pass
    return translated(booking.category, "name", language)


def _context(booking: Booking, language: str) -> dict[str, str]:
    return {
        "service": _service_name(booking, language),
        "when": date_format(timezone.localtime(booking.slot.starts_at), "Y-m-d H:i"),
        "centre": translated(booking.centre, "name", language),
        "code": booking.code,
    }


def _send(booking: Booking, template: str, key: str, language: str) -> bool:
    phone = pii.reveal(booking.person, "phone")
    if not phone:
        return False
    context = _context(booking, language)
    if template == "booking_reminder":
        context.pop("code")
    try:
        outbox_enqueue(
            channel="sms",
            template=template,
            context=context,
            language=language,
            phone=phone,
            idempotency_key=key,
        )
    except DomainError as error:
        if error.code not in NO_RECIPIENT:
            raise
        return False
    return True


def confirmation_send(booking: Booking, *, actor: Actor | None, now: datetime) -> bool:
    """Queue the booking's confirmation; when its reminder is already due, the confirmation
    is its reminder too (`reminded_at` is set). Returns whether a text was queued."""
    language = _language()
    with_reminder = now >= reminder_due_at(booking)
    sent = _send(booking, "booking_confirmation", f"booking-confirmation-{booking.pk}", language)
    if not sent:
        return False
    note = "with_reminder" if with_reminder else ""
    if with_reminder:
        Booking.objects.filter(pk=booking.pk).update(reminded_at=now)
        booking.reminded_at = now
    BOOKING.record(booking, action=BookingAction.CONFIRM, actor=actor, at=now, reason=note)
    return True


def reminder_send(booking: Booking, *, now: datetime) -> bool:
    """Queue the day-before reminder (the sweep claims `reminded_at` first)."""
    sent = _send(booking, "booking_reminder", f"booking-reminder-{booking.pk}", Language.ZH_HANS)
    if sent:
        BOOKING.record(booking, action=BookingAction.REMIND, actor=None, at=now)
    return sent
