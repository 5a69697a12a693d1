"""Converting a ticket to another kind (咨询号 → 受理号 → 取件号) and transferring it to another
category. The ticket ends (converted / transferred) and a successor takes its place: same
display number, same public token, same arrival and place in line (`queue_at`), `parent`
pointing back. The person never takes a new number, and is called ahead of later arrivals.

With `keep=True` the clerk goes on serving the person: the successor is called (and, if the
ticket was being served, served) at the same window at once, if the window serves its queue.
Every step is a TICKET move or record, so each leaves its timeline row and audit entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.errors import Conflict, DomainError
from onestop.core.service import audited
from onestop.hall import calling, events, policies
from onestop.hall.enums import (
    AT_WINDOW,
    CONVERSIONS,
    TICKET,
    ErrorCode,
    TicketAction,
    TicketKind,
    TicketSource,
    TicketState,
)
from onestop.hall.models import Ticket, Window
from onestop.hall.policies import Perm
from onestop.hall.selectors import access_ticket, window_queues
from onestop.hall.services.common import ticket_move
from onestop.hall.services.flow import ticket_at_clerk_window
from onestop.hall.services.issue import category_resolve
from onestop.identity.actors import StaffUser

if TYPE_CHECKING:
    from onestop.catalog.models import HallCategory


def _locked(actor: StaffUser, ticket_id: int) -> tuple[Ticket, Window | None]:
    row = access_ticket(actor, ticket_id, for_update=True)
    policies.RULES.require(actor, Perm.SERVE, row.place)
    if row.state in AT_WINDOW:
        return ticket_at_clerk_window(actor, row.pk)
    return row, None


def _kept_at_window() -> dict[str, object]:
    return {
        "why": [
            {
                "code": "kept_at_window",
                "params": {},
                "text": _("Kept at the window after the change."),
            }
        ]
    }


def _succeed(
    actor: StaffUser,
    row: Ticket,
    window: Window | None,
    *,
    kind: str,
    category: HallCategory,
    end_state: str,
    action: str,
    source: str,
    keep: bool,
    reason: str,
    now: datetime,
) -> Ticket:
    was = row.state
    detail = {"to_kind": kind, "to_category": category.code}
    ticket_move(
        actor,
        row,
        to=end_state,
        action=action,
        now=now,
        window=window,
        fields={"finished_at": now} if was == TicketState.SERVING else {},
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
    TICKET.record(
        successor,
        action=TicketAction.ISSUED,
        actor=actor,
        from_state="",
        at=now,
        reason=reason,
        detail={"from_ticket": row.pk, "from_kind": row.kind, "from_category": row.category.code},
    )
    kept = (
        keep and window is not None and calling.Queue(category.code, kind) in window_queues(window)
    )
    if not kept:
        events.publish_ticket(events.TICKET_ISSUED, successor, at=now)
        return successor
    ticket_move(
        actor,
        successor,
        to=TicketState.CALLED,
        action=TicketAction.CALLED,
        now=now,
        window=window,
        fields={"window": window, "clerk": actor, "call_count": 1, "last_called_at": now},
        detail=_kept_at_window(),
        event=None,
    )
    if was == TicketState.SERVING:
        ticket_move(
            actor,
            successor,
            to=TicketState.SERVING,
            action=TicketAction.STARTED,
            now=now,
            window=window,
            fields={"started_at": now},
            event=None,
        )
    events.publish_ticket(events.TICKET_CALLED, successor, at=now)
    return successor


@audited("hall.ticket.converted", timeline=True)
def ticket_convert(
    *,
    actor: StaffUser,
    ticket_id: int,
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
    row, window = _locked(actor, ticket_id)
    TICKET.check(row, TicketState.CONVERTED)
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


@audited("hall.ticket.transferred", timeline=True)
def ticket_transfer(
    *,
    actor: StaffUser,
    ticket_id: int,
    to_category: str,
    keep: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Move a ticket to another category's queue of the same kind. Returns the successor."""
    now = now or timezone.now()
    row, window = _locked(actor, ticket_id)
    TICKET.check(row, TicketState.TRANSFERRED)
    category_row = category_resolve(row.centre, to_category)
    if category_row.pk == row.category_id:
        raise Conflict(ErrorCode.TRANSFER_NOT_ALLOWED, _("The ticket is in this category already."))
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
