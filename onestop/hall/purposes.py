"""What the hall vouches for when a clerk asks to see a person's full identifiers: the
person is at the clerk's window, i.e. a ticket of theirs is called to or being served at
the window the clerk is signed in at now. Registered with identity's purposes in
`HallConfig.ready()`; the ticket goes into the audit entry of the reveal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onestop.core.access import Actor
from onestop.hall.enums import AT_WINDOW, WindowState
from onestop.hall.models import Ticket
from onestop.identity.hooks import Purpose

if TYPE_CHECKING:
    from onestop.identity.models import Person

AT_WINDOW_PURPOSE = "hall.person_at_window"


def person_at_window(actor: Actor, person: Person, field: str) -> Purpose | None:
    if actor.pk is None or person.pk is None:
        return None
    ticket = (
        Ticket.objects.filter(
            person_id=person.pk,
            state__in=sorted(AT_WINDOW),
            window__clerk_id=actor.pk,
            window__state__in=[WindowState.OPEN, WindowState.PAUSED],
        )
        .select_related("window")
        .only("pk", "display", "window__number")
        .first()
    )
    if ticket is None or ticket.window is None:
        return None
    return Purpose(
        kind=AT_WINDOW_PURPOSE,
        reference=f"hall.ticket:{ticket.pk}",
        description=f"{ticket.display} @ {ticket.window.number}",
    )
