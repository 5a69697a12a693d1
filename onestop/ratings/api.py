"""The ratings API, mounted at /api/v1/ratings/.

Rating a visit is public: the caller knows the visit's token (the QR on the ticket), as a
partner channel (a WeChat mini-program) would. Follow-ups are for the centre's hall manager.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from onestop.core.i18n import translated
from onestop.identity.actors import StaffUser, optional_actor, staff_of
from onestop.identity.api_auth import api_auth
from onestop.ratings import selectors, services
from onestop.ratings.enums import FollowUpState
from onestop.ratings.models import FollowUpEvent, FollowUpTask, Rating, RatingReason
from onestop.ratings.schemas import (
    RatingFollowUpCloseIn,
    RatingFollowUpOut,
    RatingIn,
    RatingOut,
    RatingReasonOut,
    RatingVisitOut,
)

router = Router(tags=["ratings"], auth=api_auth)

FOLLOW_UP_LIMIT = 200


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "level": rating.level,
        "reasons": [r.code for r in rating.reasons.all()],
        "is_named": rating.is_named,
        "follow_up": FollowUpTask.objects.filter(rating=rating).exists(),
        "created_at": rating.created_at,
    }


def _reason(reason: RatingReason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "name": reason.name,
        "names": {
            code.replace("-", "_"): translated(reason, "name", code)
            for code, _label in settings.LANGUAGES
        },
        "applies": reason.applies,
    }


@router.get("/reasons", response=list[RatingReasonOut], auth=None)
def list_reasons(request: HttpRequest) -> list[Any]:
    return [_reason(reason) for reason in selectors.reason_list()]


@router.get("/visits/{token}", response=RatingVisitOut, auth=None)
def get_visit(request: HttpRequest, token: str) -> dict[str, Any]:
    page = selectors.rating_page(token)
    ticket = page.ticket
    return {
        "display": ticket.display,
        "centre": ticket.centre.code,
        "category": ticket.category.code,
        "kind": ticket.kind,
        "window": ticket.window.number if ticket.window else None,
        "finished_at": ticket.finished_at,
        "can_rate": page.refusal is None,
        "refusal": page.refusal.code if page.refusal else None,
        "rate_until": page.deadline,
        "rating": _rating(page.rating) if page.rating else None,
    }


@router.post("/visits/{token}", response={201: RatingOut}, auth=None)
def rate_visit(request: HttpRequest, token: str, payload: RatingIn) -> Status:
    rating = services.rating_submit(token=token, actor=optional_actor(request), **payload.dict())
    return Status(201, _rating(rating))


def _follow_up(task: FollowUpTask, timeline: list[FollowUpEvent]) -> dict[str, Any]:
    rating = task.rating
    return {
        "id": task.pk,
        "centre": task.centre.code,
        "state": task.state,
        "ticket": rating.ticket.display if rating.ticket else "",
        "case_number": rating.case_number or None,
        "level": rating.level,
        "reasons": [r.code for r in rating.reasons.all()],
        "comment": rating.comment,
        "window": rating.window.number if rating.window else None,
        "contact_phone_masked": rating.contact_phone_masked,
        "created_at": task.created_at,
        "started_at": task.started_at,
        "closed_at": task.closed_at,
        "resolution": task.resolution,
        "timeline": [
            {
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "at": event.at,
                "by": str(event.actor) if event.actor is not None else None,
                "note": event.note,
            }
            for event in timeline
        ],
    }


@router.get("/follow-ups", response=list[RatingFollowUpOut])
def list_follow_ups(request: HttpRequest, state: FollowUpState | None = None) -> list[Any]:
    manager = staff_of(request)
    rows = list(
        selectors.follow_up_list(manager, state=state or "").prefetch_related("events__actor")[
            :FOLLOW_UP_LIMIT
        ]
    )
    return [_follow_up(task, list(task.events.all())) for task in rows]


def _answer(manager: StaffUser, task_id: int) -> dict[str, Any]:
    task = selectors.access_follow_up(manager, task_id)
    return _follow_up(task, selectors.follow_up_timeline(task))


@router.post("/follow-ups/{task_id}/start", response=RatingFollowUpOut)
def start_follow_up(request: HttpRequest, task_id: int) -> dict[str, Any]:
    manager = staff_of(request)
    task = services.follow_up_start(actor=manager, task_id=task_id)
    return _answer(manager, task.pk)


@router.post("/follow-ups/{task_id}/close", response=RatingFollowUpOut)
def close_follow_up(
    request: HttpRequest, task_id: int, payload: RatingFollowUpCloseIn
) -> dict[str, Any]:
    manager = staff_of(request)
    task = services.follow_up_close(actor=manager, task_id=task_id, resolution=payload.resolution)
    return _answer(manager, task.pk)
