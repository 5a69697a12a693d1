"""The cases API for partner channels, mounted at /api/v1/cases/, and the public due-date
calculator at /api/v1/calendar/.

Tracking by number and phone is public (the applicant's two facts are the proof, and the
answer holds no personal data); reading a case needs an account that may see it, and an
approver reaches only their department's: anyone else is told it does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from onestop.cases import selectors, services
from onestop.cases.enums import ErrorCode
from onestop.cases.models import Case
from onestop.cases.policies import Perm
from onestop.cases.schemas import (
    CaseDecisionIn,
    CaseDueDateOut,
    CaseInboxRowOut,
    CaseOut,
    CaseTrackIn,
    CaseTrackOut,
)
from onestop.core.errors import DomainError
from onestop.core.openapi import problems
from onestop.core.workdays import add_natural_days, add_working_days, next_working_day
from onestop.identity.actors import request_actor, staff_of
from onestop.identity.api_auth import api_auth
from onestop.licences import selectors as licences

router = Router(tags=["cases"], auth=api_auth)
calendar_router = Router(tags=["calendar"])

INBOX_LIMIT = 200
# A due date more than ten years of days away is no deadline a partner needs.
MAX_LIMIT = 3650


def _track(case: Case, *, notes: bool = False) -> dict[str, Any]:
    """The case's state, clock and timeline; the steps' notes only for a reader of the case
    (`notes`), never for tracking by number and phone."""
    clock = selectors.case_clock(case, timezone.localdate())
    return {
        "number": case.number or "",
        "item_key": case.item_key,
        "item_name": case.item_name,
        "state": case.state,
        "result": case.result,
        "clock": {
            "status": clock.status if case.state in selectors.CLOCK_STATES else "none",
            "due_date": clock.due_date or case.due_date,
            "limit": clock.limit,
            "used": clock.used,
            "remaining": clock.remaining,
            "unit": case.limit_unit,
        },
        "timeline": [
            {
                "action": step.event.action,
                "from_state": step.event.from_state,
                "to_state": step.event.to_state,
                "at": step.event.at,
                "note": step.event.note if notes else "",
                "days_used": step.used,
                "days_left": step.left,
            }
            for step in selectors.case_timeline_days(case)
        ],
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        **_track(case, notes=True),
        "id": case.pk,
        "channel": case.channel,
        "centre": case.centre.code if case.centre else None,
        "department": case.department.code,
        "assignee": case.assignee.username if case.assignee else None,
        "delivery_method": case.delivery_method,
        "steps": case.steps,
        "current_step": case.current_step,
        "retention": case.retention,
        "received_on": case.received_on,
        "decided_at": case.decided_at,
        "licences": [
            {
                "identifier": licence.identifier,
                "number": licence.number,
                "type_code": licence.licence_type_code,
                "type_name": licence.licence_type.name,
                "status": licence.status,
                "valid_from": licence.valid_from,
                "valid_until": licence.valid_until,
            }
            for licence in licences.licences_of_case(case.pk)
        ],
    }


@router.post("/track", response=CaseTrackOut, auth=None, openapi_extra=problems(404))
def track_case(request: HttpRequest, payload: CaseTrackIn) -> dict[str, Any]:
    return _track(selectors.case_track(payload.number, payload.phone))


@router.get("/inbox", response=list[CaseInboxRowOut])
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    approver = staff_of(request)
    return [
        {
            "id": case.pk,
            "number": case.number or "",
            "item_name": case.item_name,
            "state": case.state,
            "due_date": case.due_date,
            "deadline_status": case.deadline_status,
            "assignee": case.assignee.username if case.assignee else None,
        }
        for case in selectors.case_inbox(approver, INBOX_LIMIT)
    ]


@router.get("/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case(selectors.access_case(request_actor(request), case_id, Perm.VIEW))


@router.post("/{case_id}/decision", response=CaseOut)
def decide_case(request: HttpRequest, case_id: int, payload: CaseDecisionIn) -> dict[str, Any]:
    approver = staff_of(request)
    case = services.case_decide(
        actor=approver, case_id=case_id, result=payload.result, reason=payload.reason
    )
    return _case(selectors.access_case(approver, case.pk, Perm.VIEW))


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(
            ErrorCode.INVALID_DATE, _("Give the start as a date, YYYY-MM-DD.")
        ) from None


@calendar_router.get("/due-date", response=CaseDueDateOut, auth=None)
def due_date(request: HttpRequest, start: str, limit: int, unit: str = "working") -> dict[str, Any]:
    """The last day of a limit of `limit` working (or natural) days from `start`, counted as
    decision 0002 says: `start` itself is not counted; a natural-day limit ending on a day
    off ends on the next working day."""
    first = _date(start)
    if not 0 <= limit <= MAX_LIMIT:
        raise DomainError(
            ErrorCode.INVALID_LIMIT,
            _("The limit is a whole number of days from 0 to %(max)d.") % {"max": MAX_LIMIT},
        )
    if unit == "working":
        return {"due_date": add_working_days(first, limit)}
    if unit == "natural":
        due = add_natural_days(first, limit)
        if due != add_working_days(due, 0):
            due = next_working_day(due)
        return {"due_date": due}
    raise DomainError(ErrorCode.INVALID_UNIT, _("The unit is “working” or “natural”."))
