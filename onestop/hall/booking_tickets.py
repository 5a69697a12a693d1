"""The hall's answer to appointments' `booking_ticket` question (appointments/hooks.py): the
ticket a booking's check-in took, so the booking's page can show its number."""

from __future__ import annotations

from django.urls import reverse

from onestop.appointments.hooks import BookingTicket
from onestop.hall.models import Ticket


def ticket_of_booking(booking_code: str) -> BookingTicket | None:
    # The first row of the visit: a transfer's successor keeps its number and token.
    ticket = (
        Ticket.objects.filter(booking_ref=booking_code, parent__isnull=True).order_by("-pk").first()
    )
    if ticket is None:
        return None
    return BookingTicket(
        number=ticket.display,
        status_url=reverse("hall:ticket_status", kwargs={"token": ticket.public_token}),
    )
