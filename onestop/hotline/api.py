"""The hotline API for the WeChat and app channels, mounted at /api/v1/hotline/: submit a
request (with an Idempotency-Key header, so a retried submission is not a second order),
track it, add information or answer the department's question, and answer the return visit.
The caller is signed in (a citizen's token, or a partner's); an order is reached by its
number and the phone given with it.

For staff accounts, the parts of multi-department orders (decision 0038): an assisting
department lists, reads, accepts, returns and replies to its own parts; a dispatcher adds
parts to an order, sends returned ones elsewhere and withdraws them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from onestop.core.errors import DomainError
from onestop.core.openapi import problems
from onestop.hotline import selectors, services
from onestop.hotline.enums import Channel, ErrorCode, OrderState
from onestop.hotline.models import OrderPart, WorkOrder
from onestop.hotline.schemas import (
    HotlineInformationIn,
    HotlineOrderOut,
    HotlinePartIn,
    HotlinePartOut,
    HotlinePartReasonIn,
    HotlinePartRedispatchIn,
    HotlinePartReplyIn,
    HotlineRequestIn,
    HotlineReturnVisitIn,
    HotlineTrackIn,
)
from onestop.identity.actors import request_actor, staff_of
from onestop.identity.api_auth import api_auth

router = Router(tags=["hotline"], auth=api_auth)

API_CHANNELS = {Channel.WECHAT, Channel.APP}


def _order(order: WorkOrder) -> dict[str, Any]:
    return {
        "number": order.number,
        "kind": order.kind,
        "state": order.state,
        "title": order.title,
        "category": order.category.code,
        "region": order.region_code,
        "department": order.department.name if order.department else None,
        "due_at": order.due_at,
        "question": order.question,
        "reply": order.reply,
        "created_at": order.created_at,
        "attachments": order.attachments.count(),
        "events": [
            {"action": e.action, "state": e.to_state, "at": e.at, "note": e.note}
            for e in selectors.order_timeline(order, public_only=True)
        ],
    }


@router.post(
    "/requests",
    response={201: HotlineOrderOut, 200: HotlineOrderOut},
    openapi_extra=problems(404, 409),
)
def submit(request: HttpRequest, payload: HotlineRequestIn) -> Status:
    """Submit a request. Send the same `Idempotency-Key` header to retry safely: the first
    order comes back (200) and nothing new is written."""
    if payload.channel not in API_CHANNELS:
        raise DomainError(ErrorCode.INVALID_CHANNEL, _("The channel is wechat or app."))
    order = services.order_create(
        actor=request_actor(request),
        channel=payload.channel,
        request=services.OrderInput(
            kind=payload.kind,
            category_code=payload.category,
            region_code=payload.region,
            text=payload.text,
            title=payload.title,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            is_anonymous=payload.anonymous,
            urgency=payload.urgency,
            service_item_code=payload.service_item_code,
            enterprise_uscc=payload.enterprise_uscc,
        ),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(200 if getattr(order, "replayed", False) else 201, _order(order))


@router.post("/requests/track", response=HotlineOrderOut, openapi_extra=problems(404))
def track(request: HttpRequest, payload: HotlineTrackIn) -> dict[str, Any]:
    """An order by its number and the phone given with it (posted: the phone stays out of
    addresses and logs)."""
    return _order(selectors.order_for_citizen(payload.number, payload.phone))


@router.post("/requests/information", response=HotlineOrderOut, openapi_extra=problems(404, 409))
def add_information(request: HttpRequest, payload: HotlineInformationIn) -> dict[str, Any]:
    """Add information to an open order; while the department waits for an answer to its
    question, this is the answer, and the clock runs again."""
    actor = request_actor(request)
    order = selectors.order_for_citizen(payload.number, payload.phone)
    if order.state == OrderState.AWAITING_CITIZEN:
        order = services.order_answer(
            actor=actor, number=payload.number, phone=payload.phone, answer=payload.text
        )
    else:
        order = services.order_add_information(
            actor=actor, number=payload.number, phone=payload.phone, text=payload.text
        )
    return _order(order)


@router.post("/requests/return-visit", response=HotlineOrderOut, openapi_extra=problems(404, 409))
def return_visit(request: HttpRequest, payload: HotlineReturnVisitIn) -> dict[str, Any]:
    """Answer the return visit: resolved and satisfied closes the order; otherwise it goes
    back to the department."""
    order = services.order_return_visit_answer(
        actor=request_actor(request),
        number=payload.number,
        phone=payload.phone,
        resolved=payload.resolved,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )
    return _order(order)


@router.post("/requests/attachments", response=HotlineOrderOut, openapi_extra=problems(404, 409))
def add_attachments(
    request: HttpRequest,
    number: Form[str],
    phone: Form[str],
    files: File[list[UploadedFile]],
) -> dict[str, Any]:
    """Add photos (JPEG, PNG) or PDF files to an open order, as multipart form data with the
    order's number and phone; at most 10 MB a file and 6 files an order. A file that is too
    large, of another type, or one too many refuses the whole request: nothing is kept."""
    order = services.order_add_information(
        actor=request_actor(request),
        number=number,
        phone=phone,
        text="",
        uploads=[services.Upload(content=upload) for upload in files],
        channel=Channel.APP,
    )
    return _order(order)


# --- The departments' parts of multi-department orders (staff accounts) -------------------


def _part(part: OrderPart) -> dict[str, Any]:
    order = part.order
    return {
        "id": part.pk,
        "order_number": order.number,
        "kind": order.kind,
        "title": order.title,
        "text": order.text,
        "region": order.region_code,
        "address": order.address,
        "lead_department": order.department.name if order.department else None,
        "department": part.department.code,
        "state": part.state,
        "task": part.task,
        "due_at": part.due_at,
        "reply": part.reply,
        "contact": order.contact_for_department(),
        "attachments": order.attachments.count(),
    }


@router.get("/parts", response=list[HotlinePartOut])
def parts(request: HttpRequest) -> list[dict[str, Any]]:
    """The parts the caller's departments assist with, soonest due first."""
    return [_part(part) for part in selectors.department_parts(staff_of(request))[:200]]


@router.get("/parts/{part_id}", response=HotlinePartOut, openapi_extra=problems(404))
def part(request: HttpRequest, part_id: int) -> dict[str, Any]:
    return _part(selectors.access_part(staff_of(request), part_id))


@router.post(
    "/orders/{order_id}/parts",
    response={201: HotlinePartOut},
    openapi_extra=problems(404, 409),
)
def part_add(request: HttpRequest, order_id: int, payload: HotlinePartIn) -> Status:
    """A dispatcher adds an assisting department to an order being handled."""
    added = services.order_part_add(
        actor=staff_of(request),
        order_id=order_id,
        department_id=selectors.department_id_for(payload.department),
        task=payload.task,
        days=payload.days,
    )
    return Status(201, _part(added))


@router.post("/parts/{part_id}/accept", response=HotlinePartOut, openapi_extra=problems(404, 409))
def part_accept(request: HttpRequest, part_id: int) -> dict[str, Any]:
    return _part(services.part_accept(actor=staff_of(request), part_id=part_id))


@router.post("/parts/{part_id}/return", response=HotlinePartOut, openapi_extra=problems(404, 409))
def part_return(request: HttpRequest, part_id: int, payload: HotlinePartReasonIn) -> dict[str, Any]:
    return _part(
        services.part_return(actor=staff_of(request), part_id=part_id, reason=payload.reason)
    )


@router.post("/parts/{part_id}/reply", response=HotlinePartOut, openapi_extra=problems(404, 409))
def part_reply(request: HttpRequest, part_id: int, payload: HotlinePartReplyIn) -> dict[str, Any]:
    return _part(services.part_reply(actor=staff_of(request), part_id=part_id, reply=payload.reply))


@router.post(
    "/parts/{part_id}/redispatch", response=HotlinePartOut, openapi_extra=problems(404, 409)
)
def part_redispatch(
    request: HttpRequest, part_id: int, payload: HotlinePartRedispatchIn
) -> dict[str, Any]:
    return _part(
        services.part_redispatch(
            actor=staff_of(request),
            part_id=part_id,
            department_id=selectors.department_id_for(payload.department),
            days=payload.days,
        )
    )


@router.post("/parts/{part_id}/cancel", response=HotlinePartOut, openapi_extra=problems(404, 409))
def part_cancel(request: HttpRequest, part_id: int, payload: HotlinePartReasonIn) -> dict[str, Any]:
    return _part(
        services.part_cancel(actor=staff_of(request), part_id=part_id, reason=payload.reason)
    )
