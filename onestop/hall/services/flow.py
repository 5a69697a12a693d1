"""A ticket's way through a window: called, recalled, served, finished; or no-show,
reinstated, cancelled by staff or withdrawn by its holder. Each service locks what it
changes and moves the ticket through TICKET (the table, the claim, the timeline row and the
audit entry `hall.ticket.<action>` in its transaction), and publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.errors import Conflict, DomainError, PermissionDenied
from onestop.core.service import audited
from onestop.core.workflow import STATE_CHANGED
from onestop.hall import calling, events, policies
from onestop.hall.enums import TICKET, ErrorCode, TicketAction, TicketState, WindowState
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
from onestop.hall.services.common import ticket_move
from onestop.hall.services.notify import missed_call_sms, near_turn_sms
from onestop.identity.actors import StaffUser

NOT_AUDITED = {
    "signed_in_window": "finds and locks the clerk's window for the services; writes nothing",
    "ticket_at_clerk_window": "finds and locks a ticket at the clerk's window; writes nothing",
}

# How many times a call looks again after another window claimed its choice first.
CLAIM_ATTEMPTS = 20
# The timeline's reason for a number its holder gave up (no staff actor to name).
WITHDRAWN_BY_HOLDER = "withdrawn by the holder"


@dataclass(frozen=True)
class Called:
    """A ticket just called to a window, and why it was the one (the calling rules)."""

    ticket: Ticket
    reasons: tuple[calling.Reason, ...]


def signed_in_window(actor: StaffUser, window_id: int) -> Window:
    """The window, locked, if `actor` is the clerk signed in there and it is open."""
    row = access_window(actor, window_id, for_update=True)
    if row.clerk_id is None or row.clerk_id != actor.pk:
        raise PermissionDenied(ErrorCode.NOT_AT_WINDOW, _("You are not signed in at this window."))
    if row.state != WindowState.OPEN:
        raise Conflict(
            ErrorCode.WINDOW_NOT_OPEN,
            _("Window %(number)s is not open: %(state)s.")
            % {"number": row.number, "state": WindowState(row.state).label},
        )
    return row


def ticket_at_clerk_window(actor: StaffUser, ticket_id: int) -> tuple[Ticket, Window]:
    """The ticket, locked, if it is at the window where `actor` is signed in."""
    ticket = access_ticket(actor, ticket_id, for_update=True)
    if ticket.window_id is None or ticket.state not in (TicketState.CALLED, TicketState.SERVING):
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION,
            _("Ticket %(display)s is not at a window.") % {"display": ticket.display},
            state=ticket.state,
        )
    window = Window.objects.select_for_update().get(pk=ticket.window_id)
    if window.clerk_id != actor.pk:
        raise PermissionDenied(
            ErrorCode.NOT_AT_WINDOW, _("This ticket is at a window where you are not signed in.")
        )
    return ticket, window


def _recalls(ticket: Ticket) -> int:
    return max(ticket.call_count - 1, 0)


@audited("hall.ticket.called", timeline=True, unless=lambda called: called is None)
def ticket_call_next(
    *, actor: StaffUser, window_id: int, now: datetime | None = None
) -> Called | None:
    """Call the next ticket for this window by its profile and the calling rules; None when
    nobody it serves is waiting. Two windows never call the same ticket: the move claims the
    ticket on its waiting state, and a window whose choice was taken first looks again. The
    reasons are kept in the `called` event's detail and returned."""
    now = now or timezone.now()
    row = signed_in_window(actor, window_id)
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
        ticket = Ticket.objects.select_related("category", "centre").get(pk=choice.ticket.id)
        if ticket.state != TicketState.WAITING:
            # Called by another window since the line was read.
            taken.append(ticket.pk)
            continue
        try:
            ticket_move(
                actor,
                ticket,
                to=TicketState.CALLED,
                action=TicketAction.CALLED,
                now=now,
                window=row,
                fields={"window": row, "clerk": actor, "call_count": 1, "last_called_at": now},
                detail={"why": [reason.as_dict() for reason in choice.reasons]},
                event=events.TICKET_CALLED,
            )
        except Conflict as taken_first:
            if taken_first.code != STATE_CHANGED:
                raise
            taken.append(choice.ticket.id)
            continue
        near_turn_sms(row.centre_id, day, choice.ticket.queue, now)
        return Called(ticket=ticket, reasons=tuple(choice.reasons))
    raise Conflict(ErrorCode.WINDOW_BUSY, _("The hall is busy; call again."))


@audited("hall.ticket.recalled", timeline=True)
def ticket_recall(*, actor: StaffUser, ticket_id: int, now: datetime | None = None) -> Ticket:
    """Call a called ticket again: at most `max_recalls` times, `recall_gap` apart. The
    first recall (a missed call) texts the person if they have a phone on record."""
    now = now or timezone.now()
    row, window = ticket_at_clerk_window(actor, ticket_id)
    TICKET.check(row, TicketState.CALLED)  # serving → called is not a move
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
    call = row.call_count + 1
    ticket_move(
        actor,
        row,
        to=TicketState.CALLED,
        action=TicketAction.RECALLED,
        now=now,
        window=window,
        fields={"call_count": call, "last_called_at": now},
        detail={"call": call},
        event=events.TICKET_CALLED,
    )
    if row.call_count == 2:
        missed_call_sms(row)
    return row


@audited("hall.ticket.started", timeline=True)
def ticket_start(*, actor: StaffUser, ticket_id: int, now: datetime | None = None) -> Ticket:
    """The person has come to the window: service starts."""
    now = now or timezone.now()
    row, window = ticket_at_clerk_window(actor, ticket_id)
    return ticket_move(
        actor,
        row,
        to=TicketState.SERVING,
        action=TicketAction.STARTED,
        now=now,
        window=window,
        fields={"started_at": now},
    )


@audited("hall.ticket.finished", timeline=True)
def ticket_finish(*, actor: StaffUser, ticket_id: int, now: datetime | None = None) -> Ticket:
    now = now or timezone.now()
    row, window = ticket_at_clerk_window(actor, ticket_id)
    return ticket_move(
        actor,
        row,
        to=TicketState.DONE,
        action=TicketAction.FINISHED,
        now=now,
        window=window,
        fields={"finished_at": now},
    )


@audited("hall.ticket.no_show", timeline=True)
def ticket_no_show(*, actor: StaffUser, ticket_id: int, now: datetime | None = None) -> Ticket:
    """The person did not come after the recalls: the ticket leaves the window."""
    now = now or timezone.now()
    row, window = ticket_at_clerk_window(actor, ticket_id)
    TICKET.check(row, TicketState.NO_SHOW)
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
    return ticket_move(
        actor, row, to=TicketState.NO_SHOW, action=TicketAction.NO_SHOW, now=now, window=window
    )


@audited("hall.ticket.reinstated", timeline=True)
def ticket_reinstate(
    *, actor: StaffUser, ticket_id: int, reason: str = "", now: datetime | None = None
) -> Ticket:
    """A no-show comes back the same day: in line again at their original place."""
    now = now or timezone.now()
    row = access_ticket(actor, ticket_id, for_update=True)
    policies.RULES.require(actor, Perm.SERVE, row.place)
    TICKET.check(row, TicketState.WAITING)
    if row.service_day != service_day_of(now):
        raise DomainError(
            ErrorCode.NOT_SAME_DAY, _("A ticket can only be reinstated on its own day.")
        )
    return ticket_move(
        actor,
        row,
        to=TicketState.WAITING,
        action=TicketAction.REINSTATED,
        now=now,
        window=None,
        fields={"call_count": 0, "window": None, "clerk": None, "last_called_at": None},
        reason=reason,
    )


@audited("hall.ticket.cancelled", timeline=True)
def ticket_cancel(
    *, actor: StaffUser, ticket_id: int, reason: str = "", now: datetime | None = None
) -> Ticket:
    """Take a ticket out of the line (the person left, or asked). At a window only its
    clerk may; a waiting ticket any clerk or the manager of the centre."""
    now = now or timezone.now()
    row = access_ticket(actor, ticket_id, for_update=True)
    policies.RULES.require(actor, Perm.SERVE, row.place)
    window = None
    if row.window_id is not None and row.state in (TicketState.CALLED, TicketState.SERVING):
        row, window = ticket_at_clerk_window(actor, row.pk)
    return ticket_move(
        actor,
        row,
        to=TicketState.CANCELLED,
        action=TicketAction.CANCELLED,
        now=now,
        window=window,
        reason=reason,
    )


@audited("hall.ticket.cancelled", timeline=True)
def ticket_withdraw(*, token: str, now: datetime | None = None) -> Ticket:
    """The holder gives up a waiting number from the phone page (they left, or no longer
    need it): the line behind them moves up and the estimates shrink. Only while waiting;
    once called, the clerk at the window decides."""
    now = now or timezone.now()
    return ticket_move(
        None,
        ticket_waiting_by_token_locked(token),
        to=TicketState.CANCELLED,
        action=TicketAction.CANCELLED,
        now=now,
        window=None,
        reason=WITHDRAWN_BY_HOLDER,
    )
