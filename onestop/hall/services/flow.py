"""A ticket's way through a window: called, recalled, served, finished; or no-show,
reinstated, cancelled by staff or withdrawn by its holder. Each service locks what it
changes, checks the move, writes the timeline row and the audit entry in one transaction,
and publishes after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, PermissionDenied
from onestop.hall import calling, events, policies
from onestop.hall.enums import ErrorCode, TicketAction, TicketState, WindowState
from onestop.hall.models import Ticket, Window
from onestop.hall.policies import Perm
from onestop.hall.selectors import (
    access_ticket,
    access_window,
    rules_for,
    service_day_of,
    ticket_waiting_by_token_locked,
    waiting_candidates,
    window_current_display,
    window_queues,
)
from onestop.hall.services.common import check_move, event_record, ticket_summary
from onestop.hall.services.notify import missed_call_sms, near_turn_sms

# How many times a call looks again after another window claimed its choice first.
CLAIM_ATTEMPTS = 20
# The timeline's reason for a number its holder gave up (no staff actor to name).
WITHDRAWN_BY_HOLDER = "withdrawn by the holder"


def signed_in_window(actor: Any, window: Window | int) -> Window:
    """The window, locked, if `actor` is the clerk signed in there and it is open."""
    row = access_window(actor, getattr(window, "pk", window), for_update=True)
    if row.clerk_id is None or row.clerk_id != getattr(actor, "pk", None):
        raise PermissionDenied(ErrorCode.NOT_AT_WINDOW, _("You are not signed in at this window."))
    if row.state != WindowState.OPEN:
        raise Conflict(
            ErrorCode.WINDOW_NOT_OPEN,
            _("Window %(number)s is not open: %(state)s.")
            % {"number": row.number, "state": WindowState(row.state).label},
        )
    return row


def ticket_at_clerk_window(actor: Any, ticket_id: Any) -> tuple[Ticket, Window]:
    """The ticket, locked, if it is at the window where `actor` is signed in."""
    ticket = access_ticket(actor, ticket_id, for_update=True)
    if ticket.window_id is None or ticket.state not in (TicketState.CALLED, TicketState.SERVING):
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION,
            _("Ticket %(display)s is not at a window.") % {"display": ticket.display},
            state=ticket.state,
        )
    window = Window.objects.select_for_update().get(pk=ticket.window_id)
    if window.clerk_id != getattr(actor, "pk", None):
        raise PermissionDenied(
            ErrorCode.NOT_AT_WINDOW, _("This ticket is at a window where you are not signed in.")
        )
    return ticket, window


def _recalls(ticket: Ticket) -> int:
    return max(ticket.call_count - 1, 0)


def ticket_call_next(
    *, actor: Any, window: Window | int, now: datetime | None = None
) -> Ticket | None:
    """Call the next ticket for this window by its profile and the calling rules; None when
    nobody it serves is waiting. Two windows never call the same ticket: the claim is a
    conditional update (waiting → called) and a window whose choice was taken first looks
    again. The reasons are kept in the `called` event's detail."""
    now = now or timezone.now()
    with transaction.atomic():
        row = signed_in_window(actor, window)
        current = window_current_display(row)
        if current is not None:
            raise Conflict(
                ErrorCode.WINDOW_BUSY,
                _("Ticket %(display)s is still at this window.") % {"display": current},
            )
        queues = window_queues(row)
        rules = rules_for(row.centre_id)
        day = service_day_of(now)
        mode = row.profile.mode if row.profile else ""
        taken: list[int] = []
        for _attempt in range(CLAIM_ATTEMPTS):
            candidates = waiting_candidates(row.centre_id, day, queues, exclude=taken)
            choice = calling.choose_next(candidates, queues, rules, now, mode=mode)
            if choice is None:
                return None
            claimed = Ticket.objects.filter(pk=choice.ticket.id, state=TicketState.WAITING).update(
                state=TicketState.CALLED,
                window=row,
                clerk=actor,
                call_count=1,
                last_called_at=now,
            )
            if claimed:
                break
            taken.append(choice.ticket.id)
        else:
            raise Conflict(ErrorCode.WINDOW_BUSY, _("The hall is busy; call again."))
        ticket = Ticket.objects.select_related("category", "centre").get(pk=choice.ticket.id)
        ticket.window = row
        event_record(
            ticket,
            action=TicketAction.CALLED,
            from_state=TicketState.WAITING,
            at=now,
            actor=actor,
            window=row,
            detail={"why": [reason.as_dict() for reason in choice.reasons]},
        )
        audit_record(
            actor=actor, action="hall.ticket_call", obj=ticket, after=ticket_summary(ticket)
        )
        near_turn_sms(row.centre_id, day, choice.ticket.queue, now)
        events.publish_ticket(events.TICKET_CALLED, ticket, at=now)
    ticket.call_reasons = list(choice.reasons)  # type: ignore[attr-defined]
    return ticket


def ticket_recall(*, actor: Any, ticket: Ticket | int, now: datetime | None = None) -> Ticket:
    """Call a called ticket again: at most `max_recalls` times, `recall_gap` apart. The
    first recall (a missed call) texts the person if they have a phone on record."""
    now = now or timezone.now()
    with transaction.atomic():
        row, window = ticket_at_clerk_window(actor, getattr(ticket, "pk", ticket))
        if row.state != TicketState.CALLED:
            check_move(row, TicketState.CALLED)  # serving → called is not a move
        rules = rules_for(row.centre_id)
        refusal = calling.recall_refusal(_recalls(row), row.last_called_at or now, rules, now)
        if refusal == "recall_limit":
            raise Conflict(
                ErrorCode.RECALL_LIMIT,
                _("Ticket %(display)s has been recalled %(count)s times; mark it a no-show.")
                % {"display": row.display, "count": _recalls(row)},
            )
        if refusal:
            raise Conflict(
                ErrorCode.RECALL_TOO_SOON,
                _("Wait %(seconds)s seconds between calls.")
                % {"seconds": int(rules.recall_gap.total_seconds())},
            )
        row.call_count += 1
        row.last_called_at = now
        row.save(update_fields=["call_count", "last_called_at"])
        event_record(
            row,
            action=TicketAction.RECALLED,
            from_state=TicketState.CALLED,
            at=now,
            actor=actor,
            window=window,
            detail={"call": row.call_count},
        )
        audit_record(actor=actor, action="hall.ticket_recall", obj=row, after=ticket_summary(row))
        if row.call_count == 2:
            missed_call_sms(row)
        events.publish_ticket(events.TICKET_CALLED, row, at=now)
    return row


def _move(
    actor: Any,
    row: Ticket,
    *,
    to_state: str,
    action: str,
    now: datetime,
    window: Window | None,
    fields: dict[str, Any],
    reason: str = "",
) -> Ticket:
    check_move(row, to_state)
    from_state = row.state
    row.state = to_state
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=["state", *fields])
    event_record(
        row, action=action, from_state=from_state, at=now, actor=actor, window=window, reason=reason
    )
    audit_record(
        actor=actor,
        action=f"hall.ticket_{action}",
        obj=row,
        before={"state": from_state},
        after=ticket_summary(row),
        reason=reason[:200],
    )
    events.publish_ticket(events.TICKET_CHANGED, row, at=now)
    return row


def ticket_start(*, actor: Any, ticket: Ticket | int, now: datetime | None = None) -> Ticket:
    """The person has come to the window: service starts."""
    now = now or timezone.now()
    with transaction.atomic():
        row, window = ticket_at_clerk_window(actor, getattr(ticket, "pk", ticket))
        return _move(
            actor,
            row,
            to_state=TicketState.SERVING,
            action=TicketAction.STARTED,
            now=now,
            window=window,
            fields={"started_at": now},
        )


def ticket_finish(*, actor: Any, ticket: Ticket | int, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        row, window = ticket_at_clerk_window(actor, getattr(ticket, "pk", ticket))
        return _move(
            actor,
            row,
            to_state=TicketState.DONE,
            action=TicketAction.FINISHED,
            now=now,
            window=window,
            fields={"finished_at": now},
        )


def ticket_no_show(*, actor: Any, ticket: Ticket | int, now: datetime | None = None) -> Ticket:
    """The person did not come after the recalls: the ticket leaves the window."""
    now = now or timezone.now()
    with transaction.atomic():
        row, window = ticket_at_clerk_window(actor, getattr(ticket, "pk", ticket))
        check_move(row, TicketState.NO_SHOW)
        rules = rules_for(row.centre_id)
        if calling.no_show_refusal(_recalls(row), row.last_called_at or now, rules, now):
            raise Conflict(
                ErrorCode.NO_SHOW_TOO_SOON,
                _(
                    "Recall %(display)s at least %(count)s time(s), %(seconds)s seconds apart, "
                    "before marking a no-show."
                )
                % {
                    "display": row.display,
                    "count": rules.no_show_after_recalls,
                    "seconds": int(rules.recall_gap.total_seconds()),
                },
            )
        return _move(
            actor,
            row,
            to_state=TicketState.NO_SHOW,
            action=TicketAction.NO_SHOW,
            now=now,
            window=window,
            fields={},
        )


def ticket_reinstate(
    *, actor: Any, ticket: Ticket | int, reason: str = "", now: datetime | None = None
) -> Ticket:
    """A no-show comes back the same day: in line again at their original place."""
    now = now or timezone.now()
    with transaction.atomic():
        row = access_ticket(actor, getattr(ticket, "pk", ticket), for_update=True)
        policies.RULES.require(actor, Perm.SERVE, row.place)
        check_move(row, TicketState.WAITING)
        if row.service_day != service_day_of(now):
            raise DomainError(
                ErrorCode.NOT_SAME_DAY, _("A ticket can only be reinstated on its own day.")
            )
        return _move(
            actor,
            row,
            to_state=TicketState.WAITING,
            action=TicketAction.REINSTATED,
            now=now,
            window=None,
            fields={"call_count": 0, "window": None, "clerk": None, "last_called_at": None},
            reason=reason,
        )


def ticket_cancel(
    *, actor: Any, ticket: Ticket | int, reason: str = "", now: datetime | None = None
) -> Ticket:
    """Take a ticket out of the line (the person left, or asked). At a window only its
    clerk may; a waiting ticket any clerk or the manager of the centre."""
    now = now or timezone.now()
    with transaction.atomic():
        row = access_ticket(actor, getattr(ticket, "pk", ticket), for_update=True)
        policies.RULES.require(actor, Perm.SERVE, row.place)
        window = None
        if row.window_id is not None and row.state in (TicketState.CALLED, TicketState.SERVING):
            row, window = ticket_at_clerk_window(actor, row.pk)
        return _move(
            actor,
            row,
            to_state=TicketState.CANCELLED,
            action=TicketAction.CANCELLED,
            now=now,
            window=window,
            fields={},
            reason=reason,
        )


def ticket_withdraw(*, token: str, now: datetime | None = None) -> Ticket:
    """The holder gives up a waiting number from the phone page (they left, or no longer
    need it): the line behind them moves up and the estimates shrink. Only while waiting;
    once called, the clerk at the window decides."""
    now = now or timezone.now()
    with transaction.atomic():
        return _move(
            None,
            ticket_waiting_by_token_locked(token),
            to_state=TicketState.CANCELLED,
            action=TicketAction.CANCELLED,
            now=now,
            window=None,
            fields={},
            reason=WITHDRAWN_BY_HOLDER,
        )
