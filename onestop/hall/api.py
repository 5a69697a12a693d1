"""The hall API, mounted at /api/v1/hall/: for window consoles, kiosks and partner channels.

Staff and devices authenticate with a bearer token or the site's session; what they may do
is the hall's policies (scoped to their centre). The one public operation is a ticket's
status by its token (the phone page's QR). Each operation parses, calls one service or
selector and shapes the answer; refusals are problem+json with the hall's error codes.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from onestop.centres.selectors import centre_get
from onestop.core.openapi import problems
from onestop.hall import estimate, pages, selectors, services
from onestop.hall.estimate import Estimate
from onestop.hall.models import Ticket
from onestop.hall.schemas import (
    HallCalledOut,
    HallConvertIn,
    HallEstimateOut,
    HallEventOut,
    HallIssuedOut,
    HallIssueIn,
    HallOpenIn,
    HallQueueOut,
    HallReasonIn,
    HallReasonOut,
    HallStatusOut,
    HallTicketDetailOut,
    HallTicketOut,
    HallTransferIn,
    HallWindowOut,
)
from onestop.identity.actors import device_or_staff_of, request_actor, staff_of
from onestop.identity.api_auth import api_auth
from onestop.identity.services import person_from_card

router = Router(tags=["hall"])


def _estimate(found: Estimate | None) -> HallEstimateOut | None:
    return HallEstimateOut(**found.as_dict()) if found is not None else None


def _issued(issued: services.Issued) -> HallIssuedOut:
    return HallIssuedOut(
        ticket=HallTicketOut.of(issued.ticket),
        status_token=issued.ticket.public_token,
        estimate=HallEstimateOut(**issued.estimate.as_dict()),
    )


# --- Kiosk and phone -----------------------------------------------------------------------


# A card read can be throttled (person_from_card, which registers a new card's holder); the
# centre, category or booking may not exist; a booking may be used, cancelled, too early or
# too late.
@router.post(
    "/tickets", auth=api_auth, response={201: HallIssuedOut}, openapi_extra=problems(404, 409, 429)
)
def issue_ticket(request: HttpRequest, payload: HallIssueIn) -> Status[HallIssuedOut]:
    """Take a number at a centre: a walk-in's (a kiosk or a clerk), or a booked visitor's
    arrival (`booking`: the booking is checked in, and whether they are late is decided
    from the booking's slot and the centre's check-in window)."""
    actor = device_or_staff_of(request)
    centre = centre_get(payload.centre)
    if payload.booking:
        return Status(
            201,
            _issued(
                services.booking_arrive(actor=actor, centre_id=centre.pk, booking=payload.booking)
            ),
        )
    person = person_from_card(raw=payload.card, device=actor).person if payload.card else None
    issued = services.ticket_issue(
        actor=actor,
        centre_id=centre.pk,
        category=payload.category,
        kind=payload.kind,
        person_id=person.pk if person is not None else None,
        item_key=payload.item_key,
        priority=payload.priority,
        notify_at_position=payload.notify_at_position,
    )
    return Status(201, _issued(issued))


def _status(status: pages.TicketStatus) -> HallStatusOut:
    return HallStatusOut(
        ticket=status.out, centre=status.ticket.centre.name, estimate=_estimate(status.estimate)
    )


@router.get("/status/{token}", auth=None, response=HallStatusOut)
def ticket_status(request: HttpRequest, token: str) -> HallStatusOut:
    """A ticket's state, place and estimated wait, for whoever holds its token (the QR on
    the ticket). No personal data."""
    return _status(pages.ticket_status(token))


@router.post("/status/{token}/withdraw", auth=None, response=HallStatusOut)
def ticket_withdraw(request: HttpRequest, token: str) -> HallStatusOut:
    """The holder gives up a waiting number; 409 once it has been called or has ended."""
    services.ticket_withdraw(token=token)
    return _status(pages.ticket_status(token))


# --- Centre views ----------------------------------------------------------------------------


@router.get("/centres/{code}/queues", auth=api_auth, response=list[HallQueueOut])
def centre_queues(request: HttpRequest, code: str) -> list[HallQueueOut]:
    centre = centre_get(code)
    selectors.window_list(request_actor(request), centre.pk)  # the actor may see the centre
    return [
        HallQueueOut(
            category=q.category,
            kind=q.kind,
            waiting=q.waiting,
            longest_wait_minutes=q.longest_wait_minutes,
            estimate=HallEstimateOut(**q.estimate.as_dict()),
        )
        for q in estimate.centre_queues(centre)
    ]


@router.get("/centres/{code}/windows", auth=api_auth, response=list[HallWindowOut])
def centre_windows(request: HttpRequest, code: str) -> list[HallWindowOut]:
    centre = centre_get(code)
    return [HallWindowOut.of(w) for w in selectors.window_list(request_actor(request), centre.pk)]


# --- A clerk at a window -----------------------------------------------------------------------


@router.post("/windows/{window_id}/open", auth=api_auth, response=HallWindowOut)
def open_window(request: HttpRequest, window_id: int, payload: HallOpenIn) -> HallWindowOut:
    return HallWindowOut.of(
        services.window_open(
            actor=staff_of(request), window_id=window_id, profile_id=payload.profile_id
        )
    )


@router.post("/windows/{window_id}/pause", auth=api_auth, response=HallWindowOut)
def pause_window(request: HttpRequest, window_id: int) -> HallWindowOut:
    return HallWindowOut.of(services.window_pause(actor=staff_of(request), window_id=window_id))


@router.post("/windows/{window_id}/resume", auth=api_auth, response=HallWindowOut)
def resume_window(request: HttpRequest, window_id: int) -> HallWindowOut:
    return HallWindowOut.of(services.window_resume(actor=staff_of(request), window_id=window_id))


@router.post("/windows/{window_id}/close", auth=api_auth, response=HallWindowOut)
def close_window(request: HttpRequest, window_id: int) -> HallWindowOut:
    return HallWindowOut.of(services.window_close(actor=staff_of(request), window_id=window_id))


@router.post("/windows/{window_id}/call-next", auth=api_auth, response=HallCalledOut)
def call_next(request: HttpRequest, window_id: int) -> HallCalledOut:
    """Call the next ticket; `ticket` is null when nobody this window serves is waiting."""
    called = services.ticket_call_next(actor=staff_of(request), window_id=window_id)
    if called is None:
        return HallCalledOut(ticket=None, why=[])
    return HallCalledOut(
        ticket=HallTicketOut.of(called.ticket),
        why=[HallReasonOut(**r.as_dict()) for r in called.reasons],
    )


@router.get("/windows/{window_id}/next", auth=api_auth, response=HallCalledOut)
def next_preview(request: HttpRequest, window_id: int) -> HallCalledOut:
    """Who "call next" would call now, and why, without calling."""
    actor = request_actor(request)
    choice = selectors.window_next_preview(actor, window_id)
    if choice is None:
        return HallCalledOut(ticket=None, why=[])
    ticket = selectors.access_ticket(actor, choice.ticket.id)
    return HallCalledOut(
        ticket=HallTicketOut.of(ticket),
        why=[HallReasonOut(**r.as_dict()) for r in choice.reasons],
    )


# --- Tickets -------------------------------------------------------------------------------


@router.get("/tickets/{ticket_id}", auth=api_auth, response=HallTicketDetailOut)
def ticket_detail(request: HttpRequest, ticket_id: int) -> HallTicketDetailOut:
    actor = request_actor(request)
    ticket = selectors.access_ticket(actor, ticket_id)
    timeline = [
        HallEventOut(
            ticket_id=e.ticket_id,
            at=e.at,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            window=e.window.number if e.window else None,
            reason=e.reason,
            detail=e.detail,
        )
        for e in selectors.ticket_timeline(actor, ticket_id)
    ]
    return HallTicketDetailOut(
        ticket=HallTicketOut.of(ticket),
        timeline=timeline,
        estimate=_estimate(estimate.ticket_estimate(ticket)),
    )


def _done(ticket: Ticket) -> HallTicketOut:
    return HallTicketOut.of(Ticket.objects.select_related("category", "window").get(pk=ticket.pk))


@router.post("/tickets/{ticket_id}/recall", auth=api_auth, response=HallTicketOut)
def recall(request: HttpRequest, ticket_id: int) -> HallTicketOut:
    return _done(services.ticket_recall(actor=staff_of(request), ticket_id=ticket_id))


@router.post("/tickets/{ticket_id}/start", auth=api_auth, response=HallTicketOut)
def start(request: HttpRequest, ticket_id: int) -> HallTicketOut:
    return _done(services.ticket_start(actor=staff_of(request), ticket_id=ticket_id))


@router.post("/tickets/{ticket_id}/finish", auth=api_auth, response=HallTicketOut)
def finish(request: HttpRequest, ticket_id: int) -> HallTicketOut:
    return _done(services.ticket_finish(actor=staff_of(request), ticket_id=ticket_id))


@router.post("/tickets/{ticket_id}/no-show", auth=api_auth, response=HallTicketOut)
def no_show(request: HttpRequest, ticket_id: int) -> HallTicketOut:
    return _done(services.ticket_no_show(actor=staff_of(request), ticket_id=ticket_id))


@router.post("/tickets/{ticket_id}/reinstate", auth=api_auth, response=HallTicketOut)
def reinstate(request: HttpRequest, ticket_id: int, payload: HallReasonIn) -> HallTicketOut:
    return _done(
        services.ticket_reinstate(
            actor=staff_of(request), ticket_id=ticket_id, reason=payload.reason
        )
    )


@router.post("/tickets/{ticket_id}/cancel", auth=api_auth, response=HallTicketOut)
def cancel(request: HttpRequest, ticket_id: int, payload: HallReasonIn) -> HallTicketOut:
    return _done(
        services.ticket_cancel(actor=staff_of(request), ticket_id=ticket_id, reason=payload.reason)
    )


@router.post("/tickets/{ticket_id}/convert", auth=api_auth, response={201: HallTicketOut})
def convert(request: HttpRequest, ticket_id: int, payload: HallConvertIn) -> Status[HallTicketOut]:
    """Returns the successor ticket (same number, same place in line)."""
    successor = services.ticket_convert(
        actor=staff_of(request),
        ticket_id=ticket_id,
        to_kind=payload.to_kind,
        category=payload.category,
        keep=payload.keep,
        reason=payload.reason,
    )
    return Status(201, _done(successor))


@router.post("/tickets/{ticket_id}/transfer", auth=api_auth, response={201: HallTicketOut})
def transfer(
    request: HttpRequest, ticket_id: int, payload: HallTransferIn
) -> Status[HallTicketOut]:
    successor = services.ticket_transfer(
        actor=staff_of(request),
        ticket_id=ticket_id,
        to_category=payload.to_category,
        keep=payload.keep,
        reason=payload.reason,
    )
    return Status(201, _done(successor))
