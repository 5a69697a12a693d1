"""What the window console shows of the visit at the window: who the visitor is (masked:
the clerk checks the card against the person, the screen never shows the full number),
what they booked (the item, the slot), and where tickets changed at this window went on to
wait. Read-only, shaped for the console's template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from onestop.appointments.selectors import booking_checked_in
from onestop.catalog.selectors import item_current
from onestop.core.errors import NotFound
from onestop.core.i18n import translated
from onestop.hall.enums import TicketSource, TicketState
from onestop.hall.models import Ticket, Window
from onestop.identity.selectors import person_summary


@dataclass(frozen=True)
class Visitor:
    # Masked: "王*明", "4401**********1231"; "" when the card held no name.
    name: str
    id_number: str
    social_security_no: str
    verified: bool


@dataclass(frozen=True)
class Booked:
    code: str
    item: str
    starts_at: datetime | None
    ends_at: datetime | None
    late: bool


@dataclass(frozen=True)
class Visit:
    visitor: Visitor | None
    booked: Booked | None
    item: str


def _item_name(item_key: str) -> str:
    if not item_key:
        return ""
    try:
        return translated(item_current(item_key), "name")
    except NotFound:
        return item_key


def visit_of(ticket: Ticket | None) -> Visit | None:
    """The visit behind the ticket at the window, or None when nobody is there."""
    if ticket is None:
        return None
    visitor = None
    if ticket.person_id:
        summary = person_summary(ticket.person)  # type: ignore[arg-type]
        visitor = Visitor(
            name=summary["name"],
            id_number=summary["id_number"],
            social_security_no=summary["social_security_no"],
            verified=int(summary["real_name_level"]) > 0,
        )
    booked = None
    booking = booking_checked_in(code=ticket.booking_ref, centre_id=ticket.centre_id)
    if booking is not None:
        booked = Booked(
            code=booking.code,
            item=_item_name(booking.item_key),
            starts_at=booking.slot.starts_at,
            ends_at=booking.slot.ends_at,
            late=ticket.source == TicketSource.WALK_IN,
        )
    elif ticket.booking_ref:
        booked = Booked(code=ticket.booking_ref, item="", starts_at=None, ends_at=None, late=False)
    return Visit(visitor=visitor, booked=booked, item=_item_name(ticket.item_key))


def sent_on(window: Window, service_day: date) -> list[Ticket]:
    """Tickets converted or transferred at this window today that now wait in a queue (this
    window's or another's): the clerk sees where each one went."""
    return list(
        Ticket.objects.filter(
            centre_id=window.centre_id,
            service_day=service_day,
            parent__window=window,
            source__in=[TicketSource.CONVERTED, TicketSource.TRANSFERRED],
            state=TicketState.WAITING,
        )
        .select_related("category")
        .order_by("queue_at", "id")[:12]
    )
