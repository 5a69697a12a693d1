"""What appointments asks the apps above it (core.hooks).

`booking_ticket`: the hall issues a ticket when a booking is checked in at its kiosk; the
booking's page shows that ticket's number and links to its status. Appointments sits below
the hall and cannot read tickets, so it asks; the hall answers in its `ready()`. Without a
hall (or before check-in) the answer is None.
"""

from __future__ import annotations

from dataclasses import dataclass

from onestop.core.hooks import Provider


@dataclass(frozen=True)
class BookingTicket:
    number: str
    # Where the visitor follows the ticket (the hall's public status page).
    status_url: str


def _no_ticket(booking_code: str) -> BookingTicket | None:
    return None


booking_ticket: Provider[[str], BookingTicket | None] = Provider(
    "appointments.booking_ticket", default=_no_ticket
)
