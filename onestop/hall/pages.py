"""What the hall's pages read and the one write only a page makes.

Reads for the kiosk, the call board, the window console and the phone status page, each
shaped for its screen. `ticket_notify_choose` is the citizen's choice of "text me when N
people are ahead" from the phone status page: the domain sets it only at issue, so the page
keeps this small setter (decision 0011).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import centres_active
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.i18n import translated
from onestop.core.service import audited
from onestop.hall import calling, hooks, policies
from onestop.hall.enums import (
    CONVERSIONS,
    FINAL,
    TICKET_KIND_ZH,
    ErrorCode,
    TicketAction,
    TicketKind,
    TicketState,
    WindowState,
)
from onestop.hall.estimate import Estimate, ticket_estimate
from onestop.hall.models import Ticket, TicketEvent, Window
from onestop.hall.policies import Perm
from onestop.hall.schemas import HallTicketOut
from onestop.hall.selectors import (
    rules_for,
    service_day_of,
    ticket_by_token,
    ticket_waiting_by_token_locked,
    waiting_candidates,
    window_current_ticket,
    window_next_preview,
    window_queues,
)
from onestop.hall.services.issue import MAX_NOTIFY_POSITION
from onestop.identity.actors import StaffUser

if TYPE_CHECKING:
    from onestop.centres.models import Centre

# What a call board says, unless the installation sets ONESTOP_HALL_CALL_SPEECH.
CALL_SPEECH = "请{number}号到{window}号窗口"
BOARD_CALLS = 10
NOTIFY_CHOICES = (1, 2, 3, 5, 10)
QUEUE_SHOWN = 12


def call_speech_template() -> str:
    return str(getattr(settings, "ONESTOP_HALL_CALL_SPEECH", CALL_SPEECH))


def category_names() -> dict[str, str]:
    """Each hall category's name in the reader's language, by code."""
    return {c.code: translated(c, "name") for c in hall_category_list()}


# --- Where a signed-in device or clerk works ---------------------------------------------------


def centres_where(actor: Actor | None, permission: Perm) -> list[Centre]:
    """The centres where `actor` holds `permission` through the centre's own role, by code.
    A platform admin is not a kiosk or a clerk: grants that hold anywhere open no screen."""
    ids = policies.RULES.coverage(actor, permission).centre_ids
    return list(centres_active().filter(pk__in=ids).order_by("code")) if ids else []


# --- The call board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardCall:
    display: str
    window: int
    window_label: str
    at: datetime
    call_count: int


def board_calls(
    centre_id: int, *, now: datetime | None = None, limit: int = BOARD_CALLS
) -> list[BoardCall]:
    """The latest calls of the day, newest first: number and window only."""
    now = now or timezone.now()
    rows = (
        TicketEvent.objects.filter(
            centre_id=centre_id,
            service_day=service_day_of(now),
            action__in=[TicketAction.CALLED, TicketAction.RECALLED],
            window__isnull=False,
        )
        .select_related("ticket", "window")
        .order_by("-at", "-id")[: limit * 2]
    )
    calls: list[BoardCall] = []
    seen: set[str] = set()
    for event in rows:
        # A recall replaces its earlier call on the board.
        if event.ticket.display in seen:
            continue
        seen.add(event.ticket.display)
        assert event.window is not None
        calls.append(
            BoardCall(
                display=event.ticket.display,
                window=event.window.number,
                window_label=event.window.label,
                at=event.at,
                call_count=int(event.detail.get("call", 1)),
            )
        )
        if len(calls) == limit:
            break
    return calls


def board_message(message: dict[str, Any]) -> dict[str, Any] | None:
    """What a call board may see of a hall event: a call's number and window, else nothing."""
    ticket = message.get("ticket") or {}
    if message.get("event") != "ticket.called" or not ticket.get("window"):
        return None
    return {
        "event": "call",
        "display": ticket["display"],
        "window": ticket["window"],
        "window_label": ticket.get("window_label", ""),
        "call_count": ticket.get("call_count", 1),
        "at": message.get("at"),
    }


# --- The phone status page ----------------------------------------------------------------------


@dataclass
class TicketStatus:
    ticket: Ticket
    # The ticket as the API and the live events show it.
    out: HallTicketOut
    kind_zh: str
    category_name: str
    ahead: int | None
    estimate: Estimate | None
    window: Window | None
    can_notify: bool
    done: bool
    ended: bool
    rating_url: str
    notify_choices: tuple[int, ...] = field(default=NOTIFY_CHOICES)


def ticket_status(token: str, *, now: datetime | None = None) -> TicketStatus:
    """A visit's current ticket as its holder sees it. NotFound for an unknown token."""
    now = now or timezone.now()
    ticket = ticket_by_token(token)
    estimate = ticket_estimate(ticket, now=now) if ticket.state == TicketState.WAITING else None
    at_window = ticket.state in (TicketState.CALLED, TicketState.SERVING)
    person = ticket.person if ticket.person_id else None
    return TicketStatus(
        ticket=ticket,
        out=HallTicketOut.of(ticket),
        kind_zh=TICKET_KIND_ZH.get(ticket.kind, ""),
        category_name=translated(ticket.category, "name"),
        ahead=estimate.ahead if estimate else None,
        estimate=estimate,
        window=ticket.window if at_window else None,
        can_notify=bool(
            ticket.state == TicketState.WAITING and person is not None and person.phone_sealed
        ),
        done=ticket.state == TicketState.DONE,
        ended=ticket.state in FINAL,
        rating_url=hooks.rating_link.ask(ticket.public_token),
    )


@audited("hall.ticket.notify")
def ticket_notify_choose(*, token: str, position: int, now: datetime | None = None) -> Ticket:
    """The holder of a waiting ticket asks for a text when `position` or fewer people are
    ahead. Only a ticket whose person has a phone on record; audited, the text itself goes
    through the hall's near-turn check after each call."""
    now = now or timezone.now()
    if not isinstance(position, int) or not 1 <= position <= MAX_NOTIFY_POSITION:
        raise DomainError(
            ErrorCode.INVALID_TICKET,
            _("Choose to be told when 1 to %(max)s people are ahead.")
            % {"max": MAX_NOTIFY_POSITION},
        )
    ticket = ticket_waiting_by_token_locked(token)
    if ticket.person is None or not ticket.person.phone_sealed:
        raise DomainError(
            ErrorCode.NOTIFY_NEEDS_PHONE,
            _("A text message needs a card whose holder has a phone number on record."),
        )
    before = ticket.notify_at_position
    ticket.notify_at_position = position
    ticket.notified_at = None
    ticket.save(update_fields=["notify_at_position", "notified_at"])
    audit_record(
        actor=None,
        action="hall.ticket.notify",
        obj=ticket,
        before={"notify_at_position": before},
        after={"notify_at_position": position, "display": ticket.display},
    )
    return ticket


# --- The window console ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    category: str
    category_name: str
    kind: str
    kind_label: str
    waiting: int
    tickets: list[Ticket]


@dataclass
class Console:
    window: Window
    current: Ticket | None
    queues: list[QueueRow]
    next_choice: calling.Choice | None
    # "Why this ticket is next": (reason code, sentence) pairs.
    next_reasons: list[tuple[str, str]]
    next_ticket: Ticket | None
    no_shows: list[Ticket]
    conversions: list[tuple[str, str]]
    transfers: list[tuple[str, str]]
    is_open: bool
    is_paused: bool


def clerk_window(actor: StaffUser) -> Window | None:
    """The window where `actor` is signed in, if any."""
    return (
        Window.objects.filter(clerk_id=actor.pk, is_active=True)
        .exclude(state=WindowState.CLOSED)
        .select_related("centre", "profile")
        .first()
    )


def console_for(actor: StaffUser, window: Window, *, now: datetime | None = None) -> Console:
    """What a clerk signed in at `window` sees: the ticket at the window, the profile's
    queues in calling order, who is next and why, and the day's no-shows to reinstate."""
    now = now or timezone.now()
    day = service_day_of(now)
    queues = window_queues(window)
    rules = rules_for(window.centre_id)
    waiting = waiting_candidates(window.centre_id, day, queues)
    names = category_names()
    ordered = {q: calling.line([c for c in waiting if c.queue == q], rules, now) for q in queues}
    shown_ids = [c.id for q in queues for c in ordered[q][:QUEUE_SHOWN]]
    tickets = Ticket.objects.in_bulk(shown_ids)
    rows = [
        QueueRow(
            category=q.category,
            category_name=names.get(q.category, q.category),
            kind=q.kind,
            kind_label=str(TicketKind(q.kind).label),
            waiting=len(ordered[q]),
            tickets=[tickets[c.id] for c in ordered[q][:QUEUE_SHOWN] if c.id in tickets],
        )
        for q in queues
    ]
    current = window_current_ticket(window)
    choice = None
    if current is None and window.state == WindowState.OPEN:
        choice = window_next_preview(actor, window.pk, now=now)
    next_ticket = Ticket.objects.filter(pk=choice.ticket.id).first() if choice else None
    offered = list(
        window.centre.categories.order_by("position", "code").values_list("code", "name")
    )
    conversions: list[tuple[str, str]] = []
    transfers: list[tuple[str, str]] = []
    if current is not None:
        conversions = [
            (kind, str(TicketKind(kind).label))
            for kind in TicketKind.values
            if kind in CONVERSIONS[current.kind]
        ]
        transfers = [(code, name) for code, name in offered if code != current.category.code]
    no_shows = list(
        Ticket.objects.filter(
            centre_id=window.centre_id, service_day=day, state=TicketState.NO_SHOW
        ).order_by("-id")[:QUEUE_SHOWN]
    )
    return Console(
        window=window,
        current=current,
        queues=rows,
        next_choice=choice,
        next_reasons=[(r.code, r.text(names)) for r in choice.reasons] if choice else [],
        next_ticket=next_ticket,
        no_shows=no_shows,
        conversions=conversions,
        transfers=transfers,
        is_open=window.state == WindowState.OPEN,
        is_paused=window.state == WindowState.PAUSED,
    )
