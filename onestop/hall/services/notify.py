"""Text messages of the hall, queued in the outbox inside the change's transaction: one when
a called person missed their first call, one when a waiting person's turn is near. Each has
an idempotency key per visit, so it is sent once however often the check runs."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q

from onestop.core import pii
from onestop.hall import calling
from onestop.hall.enums import TicketState
from onestop.hall.models import Ticket
from onestop.hall.selectors import rules_for, waiting_candidates
from onestop.notifications.services import outbox_enqueue


def _phone(ticket: Ticket) -> str:
    return pii.reveal(ticket.person, "phone") if ticket.person is not None else ""


def missed_call_sms(ticket: Ticket) -> bool:
    """On the first recall: tell the person they were called. False when there is no phone."""
    phone = _phone(ticket)
    if not phone or ticket.window is None:
        return False
    outbox_enqueue(
        channel="sms",
        template="queue_missed",
        context={
            "centre": ticket.centre.name,
            "ticket": ticket.display,
            "window": str(ticket.window.number),
        },
        phone=phone,
        idempotency_key=f"hall-missed-{ticket.public_token}",
    )
    return True


def near_turn_sms(centre_id: int, day: date, queue: calling.Queue, now: datetime) -> int:
    """After a call from `queue`: text each waiting ticket that asked to be told when N or
    fewer people are ahead and now is. Returns how many were queued."""
    asked = Ticket.objects.filter(
        centre_id=centre_id,
        service_day=day,
        state=TicketState.WAITING,
        category__code=queue.category,
        kind=queue.kind,
        notify_at_position__isnull=False,
        notified_at__isnull=True,
    ).filter(~Q(person=None))
    # Runs after every call; most queues have nobody waiting for a text, and a bare
    # existence check is far cheaper than the full rows with person and centre.
    if not asked.exists():
        return 0
    pending = list(asked.select_related("person", "centre"))
    rules = rules_for(centre_id)
    waiting = waiting_candidates(centre_id, day, [queue])
    order = [c.id for c in calling.line(waiting, rules, now)]
    sent = 0
    for ticket in pending:
        if ticket.pk not in order:
            continue
        ahead = order.index(ticket.pk)
        if ahead > (ticket.notify_at_position or 0):
            continue
        phone = _phone(ticket)
        if phone:
            outbox_enqueue(
                channel="sms",
                template="queue_near",
                context={"centre": ticket.centre.name, "ticket": ticket.display, "ahead": ahead},
                phone=phone,
                idempotency_key=f"hall-near-{ticket.public_token}",
            )
            sent += 1
        Ticket.objects.filter(pk=ticket.pk).update(notified_at=now)
    return sent
