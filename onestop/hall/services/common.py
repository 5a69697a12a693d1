"""What the hall's services share: who may act on the floor, and the ticket moves with
their live event."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeAlias

from onestop.hall import events
from onestop.hall.enums import TICKET
from onestop.hall.models import Ticket, Window
from onestop.identity.actors import HallDevice, StaffUser

NOT_AUDITED = {
    "ticket_move": "a step of the audited services that call it; TICKET.move writes the "
    "timeline row and the audit entry they declare",
}

# Who takes a number for someone: the centre's kiosk, or its clerks and manager.
Issuer: TypeAlias = StaffUser | HallDevice


def ticket_move(
    actor: StaffUser | None,
    row: Ticket,
    *,
    to: str,
    action: str,
    now: datetime,
    window: Window | None,
    fields: Mapping[str, Any] | None = None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    event: str | None = events.TICKET_CHANGED,
) -> Ticket:
    """Move a ticket (TICKET.move: the table, the claim, the timeline row at `window` and the
    audit entry) and publish `event` after commit (None: the caller publishes)."""
    TICKET.move(
        row,
        to=to,
        action=action,
        actor=actor,
        at=now,
        fields=fields,
        reason=reason,
        detail=detail,
        context={"window": window},
    )
    if event is not None:
        events.publish_ticket(event, row, at=now)
    return row
