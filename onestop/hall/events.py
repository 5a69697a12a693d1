"""Live events for boards, consoles and phones, sent over the Channels layer after commit.

Groups: `hall.centre.<centre_id>` (call boards, window consoles, the manager's board) and
`hall.ticket.<public_token>` (one citizen's phone page). Every message is

    {"type": "hall.event", "event": "ticket.issued" | "ticket.called" | "ticket.changed"
     | "window.changed", "ticket": {...} | None, "window": {...} | None, "at": ISO time}

so a consumer implements `hall_event(self, message)`; "ticket" is the API's HallTicketOut.
Messages are queued with `transaction.on_commit`: a change that rolls back sends nothing,
and a layer that is down loses the message (the page's next poll or reload catches up),
never the change.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from onestop.hall.models import Ticket, Window
from onestop.hall.schemas import HallTicketOut

log = logging.getLogger(__name__)

TICKET_ISSUED = "ticket.issued"
TICKET_CALLED = "ticket.called"
TICKET_CHANGED = "ticket.changed"
WINDOW_CHANGED = "window.changed"


def centre_group(centre_id: int) -> str:
    return f"hall.centre.{centre_id}"


def ticket_group(public_token: str) -> str:
    return f"hall.ticket.{public_token}"


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat()


def ticket_payload(ticket: Ticket, window: Window | None = None) -> dict[str, Any]:
    """The ticket as the API shows it (HallTicketOut), in JSON."""
    return HallTicketOut.of(ticket, window).model_dump(mode="json")


def window_payload(window: Window) -> dict[str, Any]:
    return {
        "id": window.pk,
        "number": window.number,
        "label": window.label,
        "state": window.state,
        "profile": window.profile_id,
    }


def _send(groups: list[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group in groups:
            await layer.group_send(group, message)

    try:
        # One hop into async per message: from a plain thread each hop starts an event loop.
        async_to_sync(send_all)()
    except Exception:
        # The change is committed; a lost live message is caught up by the next reload.
        log.exception("hall event to %s not sent", groups)


def publish_ticket(event: str, ticket: Ticket, *, at: datetime | None = None) -> None:
    """Queue a ticket event for after the current transaction commits."""
    message = {
        "type": "hall.event",
        "event": event,
        "ticket": ticket_payload(ticket),
        "window": None,
        "at": _iso(at or timezone.now()),
    }
    groups = [centre_group(ticket.centre_id), ticket_group(ticket.public_token)]
    transaction.on_commit(lambda: _send(groups, message))


def publish_window(window: Window, *, at: datetime | None = None) -> None:
    message = {
        "type": "hall.event",
        "event": WINDOW_CHANGED,
        "ticket": None,
        "window": window_payload(window),
        "at": _iso(at or timezone.now()),
    }
    groups = [centre_group(window.centre_id)]
    transaction.on_commit(lambda: _send(groups, message))
