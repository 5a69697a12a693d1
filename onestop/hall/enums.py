"""The hall's vocabularies: ticket kinds, sources and states with their moves, window states,
priority groups, the actions a ticket's timeline records, and error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.hall.models import Ticket


class TicketKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance")  # 受理号
    CONSULTATION = "consultation", _("Consultation")  # 咨询号
    PICKUP = "pickup", _("Pickup")  # 取件号


TICKET_KIND_ZH: dict[str, str] = {
    TicketKind.ACCEPTANCE: "受理号",
    TicketKind.CONSULTATION: "咨询号",
    TicketKind.PICKUP: "取件号",
}

# Where a conversion may lead: a consultation becomes an acceptance, an acceptance a pickup.
CONVERSIONS: dict[str, frozenset[str]] = {
    TicketKind.CONSULTATION: frozenset({TicketKind.ACCEPTANCE, TicketKind.PICKUP}),
    TicketKind.ACCEPTANCE: frozenset({TicketKind.PICKUP}),
    TicketKind.PICKUP: frozenset(),
}


class TicketSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("Appointment")
    CONVERTED = "converted", _("Converted")
    TRANSFERRED = "transferred", _("Transferred")


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", pgettext_lazy("ticket state", "Done")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Transferred")
    CONVERTED = "converted", _("Converted")


S = TicketState

# Every move a ticket may make. A recall keeps a called ticket called; a converted or
# transferred ticket ends, and its successor (a new row with `parent` set) takes its place.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.WAITING: frozenset({S.CALLED, S.CANCELLED, S.CONVERTED, S.TRANSFERRED}),
    S.CALLED: frozenset({S.CALLED, S.SERVING, S.NO_SHOW, S.CANCELLED, S.CONVERTED, S.TRANSFERRED}),
    S.SERVING: frozenset({S.DONE, S.CANCELLED, S.CONVERTED, S.TRANSFERRED}),
    S.NO_SHOW: frozenset({S.WAITING}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
    S.TRANSFERRED: frozenset(),
    S.CONVERTED: frozenset(),
}

# A ticket in one of these states is at a window.
AT_WINDOW: frozenset[str] = frozenset({S.CALLED, S.SERVING})
FINAL: frozenset[str] = frozenset(
    state for state, moves in ALLOWED_TRANSITIONS.items() if not moves
)


class TicketAction(models.TextChoices):
    """What a timeline row (TicketEvent) records."""

    ISSUED = "issued", _("Issued")
    CALLED = "called", _("Called")
    RECALLED = "recalled", _("Recalled")
    STARTED = "started", _("Service started")
    FINISHED = "finished", _("Finished")
    NO_SHOW = "no_show", _("Marked no-show")
    REINSTATED = "reinstated", _("Reinstated")
    CANCELLED = "cancelled", _("Cancelled")
    CONVERTED = "converted", _("Converted")
    TRANSFERRED = "transferred", _("Transferred")


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    """What the audit log keeps of a ticket: no personal data."""
    return {
        "display": ticket.display,
        "kind": ticket.kind,
        "category_id": ticket.category_id,
        "state": ticket.state,
        "window_id": ticket.window_id,
    }


def _ticket_timeline(entry: TimelineEntry[Ticket]) -> None:
    """A ticket's timeline row (TicketEvent), which the hall statistics read. `context`
    carries the window the change happened at."""
    # Imported here: the models import this module.
    from onestop.hall.models import TicketEvent

    ticket = entry.row
    window = entry.context.get("window")
    TicketEvent.objects.create(
        ticket=ticket,
        centre_id=ticket.centre_id,
        service_day=ticket.service_day,
        at=entry.at,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        window=window,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        reason=entry.reason[:200],
        detail=dict(entry.detail),
    )


def _describe(ticket: Ticket) -> str:
    return gettext("Ticket %(display)s") % {"display": ticket.display}


# Every change of a ticket's state goes through this machine: the table is checked, the row
# claimed with a conditional update, and the TicketEvent row and the audit entry
# `hall.ticket.<action>` written in the service's transaction. An issue (`from_state=""`)
# is recorded through it too.
TICKET: StateMachine[Ticket] = StateMachine(
    entity="hall.ticket",
    states=TicketState,
    transitions=ALLOWED_TRANSITIONS,
    summary=ticket_summary,
    timeline=_ticket_timeline,
    describe=_describe,
)


class WindowState(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class ProfileMode(models.TextChoices):
    """How a work profile (工作配置) picks among its queues."""

    # The first queue in the profile's order that has someone waiting (Qmatic's strict order).
    ORDERED = "ordered", _("In the profile's order")
    # Whoever is first in line across all the profile's queues; the order breaks ties.
    LONGEST_WAIT = "longest_wait", _("Longest waiting first")


class PriorityGroup(models.TextChoices):
    """Groups that may be called ahead of others. Which of them a centre honours is its
    rules' `priority_groups`."""

    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("Disabled")
    PREGNANT = "pregnant", _("Pregnant")


class ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    CENTRE_CLOSED = "centre_closed"
    CATEGORY_NOT_OFFERED = "category_not_offered"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_SOURCE = "unknown_source"
    UNKNOWN_PRIORITY = "unknown_priority"
    INVALID_TICKET = "invalid_ticket"
    CHECKIN_TOO_EARLY = "checkin_too_early"
    NOTIFY_NEEDS_PHONE = "notify_needs_phone"
    TICKET_NOT_FOUND = "ticket_not_found"
    WINDOW_NOT_FOUND = "window_not_found"
    PROFILE_NOT_FOUND = "profile_not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    STATE_CHANGED = "state_changed"
    WINDOW_NOT_OPEN = "window_not_open"
    WINDOW_TAKEN = "window_taken"
    WINDOW_BUSY = "window_busy"
    NOT_AT_WINDOW = "not_at_window"
    CLERK_ELSEWHERE = "clerk_elsewhere"
    PROFILE_NOT_SERVED = "profile_not_served"
    INVALID_WINDOW = "invalid_window"
    INVALID_PROFILE = "invalid_profile"
    INVALID_PREFIX = "invalid_prefix"
    INVALID_RULES = "invalid_rules"
    RECALL_TOO_SOON = "recall_too_soon"
    RECALL_LIMIT = "recall_limit"
    NO_SHOW_TOO_SOON = "no_show_too_soon"
    NOT_SAME_DAY = "not_same_day"
    CONVERSION_NOT_ALLOWED = "conversion_not_allowed"
    TRANSFER_NOT_ALLOWED = "transfer_not_allowed"
