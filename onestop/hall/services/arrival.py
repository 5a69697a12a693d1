"""A booked visitor arrives: the booking is checked in (appointments) and the ticket issued
(hall) in one transaction, by the kiosk and by the API alike. A ticket the hall refuses
(the centre closed, the category not served) leaves the booking unused, so the person can
try again; a booking appointments refuses (unknown, used, too early, too late) issues
nothing. Whether the visitor is late is decided here, from the booking's slot and the
centre's check-in window, never taken from the caller."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from onestop.appointments.services import booking_check_in
from onestop.centres.selectors import centre_get_by_id
from onestop.core.service import audited
from onestop.hall import policies
from onestop.hall.enums import TicketKind, TicketSource
from onestop.hall.policies import Perm
from onestop.hall.services.common import Issuer
from onestop.hall.services.issue import Issued, ticket_issue


@audited("hall.ticket.issued", timeline=True)
def booking_arrive(
    *, actor: Issuer, centre_id: int, booking: str, now: datetime | None = None
) -> Issued:
    """Check in the booking `booking` (its code, or the token of its QR) at the centre and
    issue its acceptance ticket: in line at the slot when on time or early, as a walk-in
    from now when late (the ticket keeps the booking's code)."""
    now = now or timezone.now()
    centre = centre_get_by_id(centre_id)
    # Before the booking is touched: a device of another centre learns nothing about it.
    policies.RULES.require(actor, Perm.ISSUE, centre.place)
    check_in = booking_check_in(token_or_code=booking, centre_id=centre.pk, actor=actor, now=now)
    return ticket_issue(
        actor=actor,
        centre_id=centre.pk,
        category=check_in.category_code,
        kind=TicketKind.ACCEPTANCE,
        source=TicketSource.APPOINTMENT,
        person_id=check_in.person_id,
        item_key=check_in.item_key,
        booking_ref=check_in.code,
        queue_at=check_in.slot_starts_at,
        now=now,
    )
