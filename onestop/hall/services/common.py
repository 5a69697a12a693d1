"""What every ticket service shares: the move check and the timeline row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from onestop.core.errors import Conflict
from onestop.hall.enums import ALLOWED_TRANSITIONS, ErrorCode, TicketState
from onestop.hall.models import Ticket, TicketEvent, Window


def check_move(ticket: Ticket, to_state: str) -> None:
    if to_state not in ALLOWED_TRANSITIONS[ticket.state]:
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION,
            _("Ticket %(display)s is %(state)s and cannot become %(to)s.")
            % {
                "display": ticket.display,
                "state": TicketState(ticket.state).label,
                "to": TicketState(to_state).label,
            },
            state=ticket.state,
            to=to_state,
        )


def event_record(
    ticket: Ticket,
    *,
    action: str,
    from_state: str,
    at: datetime,
    actor: Any = None,
    window: Window | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> TicketEvent:
    """The timeline row of a change, in the change's transaction."""
    return TicketEvent.objects.create(
        ticket=ticket,
        centre_id=ticket.centre_id,
        service_day=ticket.service_day,
        at=at,
        action=action,
        from_state=from_state,
        to_state=ticket.state,
        window=window,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:200],
        detail=detail or {},
    )


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    """What the audit log keeps of a ticket: no personal data."""
    return {
        "display": ticket.display,
        "kind": ticket.kind,
        "category_id": ticket.category_id,
        "state": ticket.state,
        "window_id": ticket.window_id,
    }
