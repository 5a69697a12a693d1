"""The hall API, mounted at /api/v1/hall/: for window consoles, kiosks and partner channels.

Staff and devices authenticate with a bearer token or the site's session; what they may do
is the hall's policies (scoped to their centre). The one public operation is a ticket's
status by its token (the phone page's QR). Each operation parses, calls one service or
selector and shapes the answer; refusals are problem+json with the hall's error codes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from onestop.centres.selectors import centre_get
from onestop.core.openapi import problems
from onestop.hall import estimate, selectors, services
from onestop.hall.enums import TicketKind, TicketSource
from onestop.hall.models import Ticket, Window
from onestop.identity.api_auth import api_auth
from onestop.identity.services import person_identify_by_card

router = Router(tags=["hall"])


# --- Shapes ------------------------------------------------------------------------------------


class ReasonOut(Schema):
    code: str
    params: dict[str, Any]
    text: str


class EstimateOut(Schema):
    ahead: int
    windows_open: int
    windows_first: int
    optimistic_minutes: int
    pessimistic_minutes: int
    mean_service_minutes: float


class TicketOut(Schema):
    id: int
    display: str
    kind: str
    category: str
    state: str
    source: str
    priority: str
    window: int | None
    call_count: int
    arrived_at: datetime
    queue_at: datetime
    service_day: str
    parent_id: int | None


class IssuedOut(TicketOut):
    status_token: str
    estimate: EstimateOut | None


class CalledOut(Schema):
    ticket: TicketOut | None
    why: list[ReasonOut]


class StatusOut(Schema):
    display: str
    kind: str
    category: str
    state: str
    window: int | None
    window_label: str
    centre: str
    estimate: EstimateOut | None


class EventOut(Schema):
    ticket_id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    window: int | None
    reason: str
    detail: dict[str, Any]


class TicketDetailOut(TicketOut):
    timeline: list[EventOut]
    estimate: EstimateOut | None


class WindowOut(Schema):
    id: int
    number: int
    label: str
    state: str
    categories: list[str]
    kinds: list[str]
    clerk_id: int | None
    profile_id: int | None


class QueueOut(Schema):
    category: str
    kind: str
    waiting: int
    longest_wait_minutes: int
    estimate: EstimateOut


class IssueIn(Schema):
    centre: str = Field(..., max_length=40, description="the centre's code")
    category: str = Field(..., max_length=40)
    kind: TicketKind
    source: TicketSource = TicketSource.WALK_IN
    card: str | None = Field(None, max_length=64, description="what the card reader read")
    item_key: str = Field("", max_length=40)
    priority: str = Field("", max_length=20)
    booking_ref: str = Field("", max_length=40)
    slot_start: datetime | None = Field(None, description="an appointment's slot start")
    late: bool | None = Field(None, description="the check-in found the appointment late")
    notify_at_position: int | None = Field(None, ge=1, le=50)


class OpenIn(Schema):
    profile_id: int


class ReasonIn(Schema):
    reason: str = Field("", max_length=200)


class ConvertIn(ReasonIn):
    to_kind: TicketKind
    category: str | None = Field(None, max_length=40)
    keep: bool = False


class TransferIn(ReasonIn):
    to_category: str = Field(..., max_length=40)
    keep: bool = False


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "display": ticket.display,
        "kind": ticket.kind,
        "category": ticket.category.code,
        "state": ticket.state,
        "source": ticket.source,
        "priority": ticket.priority,
        "window": ticket.window.number if ticket.window_id and ticket.window else None,
        "call_count": ticket.call_count,
        "arrived_at": ticket.arrived_at,
        "queue_at": ticket.queue_at,
        "service_day": ticket.service_day.isoformat(),
        "parent_id": ticket.parent_id,
    }


def _estimate(ticket: Ticket) -> dict[str, Any] | None:
    found = estimate.ticket_estimate(ticket)
    return found.as_dict() if found else None


def _window(window: Window) -> dict[str, Any]:
    return {
        "id": window.pk,
        "number": window.number,
        "label": window.label,
        "state": window.state,
        "categories": [c.code for c in window.categories.all()],
        "kinds": list(window.kinds),
        "clerk_id": window.clerk_id,
        "profile_id": window.profile_id,
    }


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# --- Kiosk and phone -----------------------------------------------------------------------


# A card read can be throttled (person_identify_by_card); the centre or category may not exist.
@router.post("/tickets", auth=api_auth, response={201: IssuedOut}, openapi_extra=problems(404, 429))
def issue_ticket(request: HttpRequest, payload: IssueIn) -> Status[dict[str, Any]]:
    """Take a number at a centre (a kiosk, a clerk, or a partner checking in a booking)."""
    actor = _actor(request)
    centre = centre_get(payload.centre)
    person = person_identify_by_card(raw=payload.card, device=actor) if payload.card else None
    ticket = services.ticket_issue(
        actor=actor,
        centre=centre,
        category=payload.category,
        kind=payload.kind,
        source=payload.source,
        person=person,
        item_key=payload.item_key,
        priority=payload.priority,
        booking_ref=payload.booking_ref,
        queue_at=payload.slot_start,
        notify_at_position=payload.notify_at_position,
        late=payload.late,
    )
    found = getattr(ticket, "estimate", None)
    body = _ticket(ticket) | {
        "status_token": ticket.public_token,
        "estimate": found.as_dict() if found else None,
    }
    return Status(201, body)


@router.get("/status/{token}", auth=None, response=StatusOut)
def ticket_status(request: HttpRequest, token: str) -> dict[str, Any]:
    """A ticket's state, place and estimated wait, for whoever holds its token (the QR on
    the ticket). No personal data."""
    return _status(selectors.ticket_by_token(token))


@router.post("/status/{token}/withdraw", auth=None, response=StatusOut)
def ticket_withdraw(request: HttpRequest, token: str) -> dict[str, Any]:
    """The holder gives up a waiting number; 409 once it has been called or has ended."""
    return _status(services.ticket_withdraw(token=token))


def _status(ticket: Ticket) -> dict[str, Any]:
    return {
        "display": ticket.display,
        "kind": ticket.kind,
        "category": ticket.category.code,
        "state": ticket.state,
        "window": ticket.window.number if ticket.window else None,
        "window_label": ticket.window.label if ticket.window else "",
        "centre": ticket.centre.name,
        "estimate": _estimate(ticket),
    }


# --- Centre views ----------------------------------------------------------------------------


@router.get("/centres/{code}/queues", auth=api_auth, response=list[QueueOut])
def centre_queues(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    centre = centre_get(code)
    selectors.window_list(_actor(request), centre.pk)  # checks the actor may see the centre
    return [q.as_dict() for q in estimate.centre_queues(centre)]


@router.get("/centres/{code}/windows", auth=api_auth, response=list[WindowOut])
def centre_windows(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    centre = centre_get(code)
    return [_window(w) for w in selectors.window_list(_actor(request), centre.pk)]


# --- A clerk at a window -----------------------------------------------------------------------


@router.post("/windows/{window_id}/open", auth=api_auth, response=WindowOut)
def open_window(request: HttpRequest, window_id: int, payload: OpenIn) -> dict[str, Any]:
    return _window(
        services.window_open(actor=_actor(request), window=window_id, profile=payload.profile_id)
    )


@router.post("/windows/{window_id}/pause", auth=api_auth, response=WindowOut)
def pause_window(request: HttpRequest, window_id: int) -> dict[str, Any]:
    return _window(services.window_pause(actor=_actor(request), window=window_id))


@router.post("/windows/{window_id}/resume", auth=api_auth, response=WindowOut)
def resume_window(request: HttpRequest, window_id: int) -> dict[str, Any]:
    return _window(services.window_resume(actor=_actor(request), window=window_id))


@router.post("/windows/{window_id}/close", auth=api_auth, response=WindowOut)
def close_window(request: HttpRequest, window_id: int) -> dict[str, Any]:
    return _window(services.window_close(actor=_actor(request), window=window_id))


@router.post("/windows/{window_id}/call-next", auth=api_auth, response=CalledOut)
def call_next(request: HttpRequest, window_id: int) -> dict[str, Any]:
    """Call the next ticket; `ticket` is null when nobody this window serves is waiting."""
    ticket = services.ticket_call_next(actor=_actor(request), window=window_id)
    if ticket is None:
        return {"ticket": None, "why": []}
    why = [r.as_dict() for r in getattr(ticket, "call_reasons", [])]
    return {"ticket": _ticket(ticket), "why": why}


@router.get("/windows/{window_id}/next", auth=api_auth, response=CalledOut)
def next_preview(request: HttpRequest, window_id: int) -> dict[str, Any]:
    """Who "call next" would call now, and why, without calling."""
    choice = selectors.window_next_preview(_actor(request), window_id)
    if choice is None:
        return {"ticket": None, "why": []}
    ticket = selectors.access_ticket(_actor(request), choice.ticket.id)
    return {"ticket": _ticket(ticket), "why": [r.as_dict() for r in choice.reasons]}


# --- Tickets -------------------------------------------------------------------------------


@router.get("/tickets/{ticket_id}", auth=api_auth, response=TicketDetailOut)
def ticket_detail(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    actor = _actor(request)
    ticket = selectors.access_ticket(actor, ticket_id)
    timeline = [
        {
            "ticket_id": e.ticket_id,
            "at": e.at,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "window": e.window.number if e.window else None,
            "reason": e.reason,
            "detail": e.detail,
        }
        for e in selectors.ticket_timeline(actor, ticket_id)
    ]
    return _ticket(ticket) | {"timeline": timeline, "estimate": _estimate(ticket)}


def _done(ticket: Ticket) -> dict[str, Any]:
    return _ticket(Ticket.objects.select_related("category", "window").get(pk=ticket.pk))


@router.post("/tickets/{ticket_id}/recall", auth=api_auth, response=TicketOut)
def recall(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return _done(services.ticket_recall(actor=_actor(request), ticket=ticket_id))


@router.post("/tickets/{ticket_id}/start", auth=api_auth, response=TicketOut)
def start(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return _done(services.ticket_start(actor=_actor(request), ticket=ticket_id))


@router.post("/tickets/{ticket_id}/finish", auth=api_auth, response=TicketOut)
def finish(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return _done(services.ticket_finish(actor=_actor(request), ticket=ticket_id))


@router.post("/tickets/{ticket_id}/no-show", auth=api_auth, response=TicketOut)
def no_show(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return _done(services.ticket_no_show(actor=_actor(request), ticket=ticket_id))


@router.post("/tickets/{ticket_id}/reinstate", auth=api_auth, response=TicketOut)
def reinstate(request: HttpRequest, ticket_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _done(
        services.ticket_reinstate(actor=_actor(request), ticket=ticket_id, reason=payload.reason)
    )


@router.post("/tickets/{ticket_id}/cancel", auth=api_auth, response=TicketOut)
def cancel(request: HttpRequest, ticket_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _done(
        services.ticket_cancel(actor=_actor(request), ticket=ticket_id, reason=payload.reason)
    )


@router.post("/tickets/{ticket_id}/convert", auth=api_auth, response={201: TicketOut})
def convert(request: HttpRequest, ticket_id: int, payload: ConvertIn) -> Status[dict[str, Any]]:
    """Returns the successor ticket (same number, same place in line)."""
    successor = services.ticket_convert(
        actor=_actor(request),
        ticket=ticket_id,
        to_kind=payload.to_kind,
        category=payload.category,
        keep=payload.keep,
        reason=payload.reason,
    )
    return Status(201, _done(successor))


@router.post("/tickets/{ticket_id}/transfer", auth=api_auth, response={201: TicketOut})
def transfer(request: HttpRequest, ticket_id: int, payload: TransferIn) -> Status[dict[str, Any]]:
    successor = services.ticket_transfer(
        actor=_actor(request),
        ticket=ticket_id,
        to_category=payload.to_category,
        keep=payload.keep,
        reason=payload.reason,
    )
    return Status(201, _done(successor))
