"""Converting a ticket to another kind (咨询号 → 受理号 → 取件号) and transferring it to another
category. The ticket ends (converted / transferred) and a successor takes its place: same
display number, same public token, same arrival and place in line (`queue_at`), `parent`
pointing back. The person never takes a new number, and is called ahead of later arrivals.

With `keep=True` the clerk goes on serving the person: the successor is called (and, if the
ticket was being served, served) at the same window at once, if the window serves its queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError
from onestop.hall import calling, events, policies
from onestop.hall.enums import (
    AT_WINDOW,
    CONVERSIONS,
    ErrorCode,
    TicketAction,
    TicketKind,
    TicketSource,
    TicketState,
)
from onestop.hall.models import Ticket, Window
from onestop.hall.policies import Perm
from onestop.hall.selectors import access_ticket, window_queues
from onestop.hall.services.common import check_move, event_record, ticket_summary
from onestop.hall.services.flow import ticket_at_clerk_window
from onestop.hall.services.issue import category_resolve


def _locked(actor: Any, ticket_id: Any) -> tuple[Ticket, Window | None]:
    row = access_ticket(actor, ticket_id, for_update=True)
    policies.RULES.require(actor, Perm.SERVE, row.place)
    if row.state in AT_WINDOW:
        return ticket_at_clerk_window(actor, row.pk)
    return row, None


def _succeed(
    actor: Any,
    row: Ticket,
    window: Window | None,
    *,
    kind: str,
    category: Any,
    end_state: str,
    action: str,
    source: str,
    keep: bool,
    reason: str,
    now: datetime,
) -> Ticket:
    check_move(row, end_state)
    was = row.state
    row.state = end_state
    fields = ["state"]
    if was == TicketState.SERVING:
        row.finished_at = now
        fields.append("finished_at")
    row.save(update_fields=fields)
    detail = {"to_kind": kind, "to_category": category.code}
    event_record(
        row,
        action=action,
        from_state=was,
        at=now,
        actor=actor,
        window=window,
        reason=reason,
        detail=detail,
    )
    successor = Ticket.objects.create(
        centre_id=row.centre_id,
        service_day=row.service_day,
        kind=kind,
        category=category,
        prefix=row.prefix,
        number=row.number,
        display=row.display,
        source=source,
        person_id=row.person_id,
        item_key=row.item_key,
        priority=row.priority,
        booking_ref=row.booking_ref,
        arrived_at=row.arrived_at,
        queue_at=row.queue_at,
        state=TicketState.WAITING,
        parent=row,
        notify_at_position=row.notify_at_position,
        notified_at=row.notified_at,
        public_token=row.public_token,
    )
    event_record(
        successor,
        action=TicketAction.ISSUED,
        from_state="",
        at=now,
        actor=actor,
        reason=reason,
        detail={"from_ticket": row.pk, "from_kind": row.kind, "from_category": row.category.code},
    )
    if keep and window is not None and calling.Queue(category.code, kind) in window_queues(window):
        successor.state, successor.window, successor.clerk = TicketState.CALLED, window, actor
        successor.call_count, successor.last_called_at = 1, now
        successor.save(update_fields=["state", "window", "clerk", "call_count", "last_called_at"])
        event_record(
            successor,
            action=TicketAction.CALLED,
            from_state=TicketState.WAITING,
            at=now,
            actor=actor,
            window=window,
            detail={
                "why": [
                    {
                        "code": "kept_at_window",
                        "params": {},
                        "text": _("Kept at the window after the change."),
                    }
                ]
            },
        )
        if was == TicketState.SERVING:
            successor.state, successor.started_at = TicketState.SERVING, now
            successor.save(update_fields=["state", "started_at"])
            event_record(
                successor,
                action=TicketAction.STARTED,
                from_state=TicketState.CALLED,
                at=now,
                actor=actor,
                window=window,
            )
    audit_record(
        actor=actor,
        action=f"hall.ticket_{action}",
        obj=row,
        before=ticket_summary(row) | {"state": was},
        after={"successor": successor.pk, **detail, "state": successor.state},
        reason=reason[:200],
    )
    events.publish_ticket(events.TICKET_CHANGED, row, at=now)
    events.publish_ticket(
        events.TICKET_CALLED if successor.state != TicketState.WAITING else events.TICKET_ISSUED,
        successor,
        at=now,
    )
    return successor


def ticket_convert(
    *,
    actor: Any,
    ticket: Ticket | int,
    to_kind: str,
    category: str | None = None,
    keep: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Consultation → acceptance or pickup, acceptance → pickup; optionally into another
    category. Returns the successor ticket."""
    now = now or timezone.now()
    if to_kind not in TicketKind.values:
        raise DomainError(ErrorCode.UNKNOWN_KIND, _("Unknown ticket kind."))
    with transaction.atomic():
        row, window = _locked(actor, getattr(ticket, "pk", ticket))
        check_move(row, TicketState.CONVERTED)
        if to_kind not in CONVERSIONS[row.kind]:
            raise Conflict(
                ErrorCode.CONVERSION_NOT_ALLOWED,
                _("A %(kind)s ticket cannot become a %(to)s ticket.")
                % {"kind": TicketKind(row.kind).label, "to": TicketKind(to_kind).label},
            )
        category_row = category_resolve(row.centre, category) if category else row.category
        return _succeed(
            actor,
            row,
            window,
            kind=to_kind,
            category=category_row,
            end_state=TicketState.CONVERTED,
            action=TicketAction.CONVERTED,
            source=TicketSource.CONVERTED,
            keep=keep,
            reason=reason,
            now=now,
        )


def ticket_transfer(
    *,
    actor: Any,
    ticket: Ticket | int,
    to_category: str,
    keep: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Move a ticket to another category's queue of the same kind. Returns the successor."""
    now = now or timezone.now()
    with transaction.atomic():
        row, window = _locked(actor, getattr(ticket, "pk", ticket))
        check_move(row, TicketState.TRANSFERRED)
        category_row = category_resolve(row.centre, to_category)
        if category_row.pk == row.category_id:
            raise Conflict(
                ErrorCode.TRANSFER_NOT_ALLOWED, _("The ticket is in this category already.")
            )
        return _succeed(
            actor,
            row,
            window,
            kind=row.kind,
            category=category_row,
            end_state=TicketState.TRANSFERRED,
            action=TicketAction.TRANSFERRED,
            source=TicketSource.TRANSFERRED,
            keep=keep,
            reason=reason,
            now=now,
        )
