"""What the writes of cases share, internal to this package (its callers are the audited
services beside it): moving a case on the CASE machine with its clock stored as it stands
after the move, the reason a person gives, the case number, the SMS to the applicant, and
the moves more than one stage makes (to accepted; the licences a grant issues).

The clock (docs/decisions/0022-cases.md): it starts the day the application reaches the
government (submitted online, or made at a window), runs in working or natural days as the
item's promised limit says, stops while a one-time notice waits for corrections and during a
special procedure, and grows by an extension the department's head approved. The due date
and its status are stored on the case at each move and by the sweep, for the inbox to sort
and the figures to count.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from onestop.cases import licensing, selectors
from onestop.cases.enums import (
    CASE,
    DECISIONS,
    OPEN_STATES,
    CaseAction,
    CaseResult,
    CaseState,
    DeadlineStatus,
    ErrorCode,
)
from onestop.cases.models import Case, CaseMaterial, CaseNumberSequence
from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import DomainError
from onestop.core.links import public_url
from onestop.identity.actors import StaffUser
from onestop.notifications.services import outbox_enqueue

REASON_MAX_LENGTH = 2000


def local_day(now: datetime) -> date:
    return timezone.localdate(now)


def reason_text(value: str, *, required: bool = True) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise DomainError(ErrorCode.INVALID_REASON, _("Give a reason."))
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("A reason has at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
        )
    return text


# --- Numbers -----------------------------------------------------------------------------------


def number_next(prefix: str, day: date) -> str:
    """The next case number under `prefix` on `day`: YYYYMMDD-PREFIX-NNNNN. The counter row
    is locked for the rest of the caller's transaction, so numbers are unique and gapless
    per prefix and day even under concurrent acceptances."""
    prefix = re.sub(r"[^A-Z0-9]", "", prefix.upper())[:24]
    if not prefix:
        raise DomainError(ErrorCode.NO_CENTRE_CODE, _("The centre has no code to number cases."))
    CaseNumberSequence.objects.get_or_create(prefix=prefix, day=day)
    CaseNumberSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    last = CaseNumberSequence.objects.filter(prefix=prefix, day=day).values_list("last", flat=True)
    return f"{day:%Y%m%d}-{prefix}-{last[0]:05d}"


# --- Notifications -----------------------------------------------------------------------------


def notify(case: Case, key: str, text: str) -> None:
    """An SMS to the applicant, through the outbox in the move's transaction: a crash after
    the commit loses nothing, and a repeat of the same milestone sends nothing twice."""
    phone = pii.reveal(case, "contact_phone")
    if not phone:
        return
    outbox_enqueue(
        channel="sms",
        template="generic",
        context={"text": text},
        language=case.language,
        phone=phone,
        idempotency_key=f"cases:{case.pk}:{key}",
    )


def milestone_text(case: Case, message: str, **params: Any) -> str:
    with override(case.language):
        return _(message) % {"number": case.number or "", **params}


def rating_invite(case: Case) -> None:
    """When a case closes (delivered, not accepted), one SMS asks the applicant to rate it
    (好差评) on their case page; a withdrawal is the applicant's own act and sends none."""
    notify(
        case,
        "rate",
        milestone_text(
            case,
            gettext_noop("Case %(number)s is closed. Rate the service when signed in at %(url)s"),
            url=public_url(reverse("cases:detail", args=[case.pk])),
        ),
    )


def decision_reason(result: str, reason: str) -> str:
    """The reason of a decision, checked: a known result, and a reason for anything but a
    plain approval (the conditions, or the legal ground of a refusal)."""
    if result not in DECISIONS:
        raise DomainError(ErrorCode.INVALID_RESULT, _("Choose a decision."))
    return reason_text(reason, required=result != CaseResult.APPROVED)


def decision_notify(case: Case, result: str) -> None:
    notify(
        case,
        "decide",
        milestone_text(
            case,
            gettext_noop("Case %(number)s was decided: %(result)s."),
            result=str(CaseResult(result).label),
        ),
    )


# --- The clock ---------------------------------------------------------------------------------


def clock_fields(case: Case, today: date) -> dict[str, Any]:
    """The clock's stored columns as `today` finds them: its status, and for a running
    clock its due date and the days it becomes nearly due and severely overdue (the marks
    the sweep compares with the day). A paused clock keeps the due date it had and has no
    marks until it runs again. One calendar read."""
    deadline = selectors.case_deadline(case)
    if deadline is None:
        return {
            "deadline_status": DeadlineStatus.NONE,
            "due_date": None,
            "warn_on": None,
            "severe_on": None,
        }
    if deadline.is_paused:
        return {"deadline_status": DeadlineStatus.PAUSED, "warn_on": None, "severe_on": None}
    marks = selectors.deadline_marks(deadline)
    return {
        "deadline_status": selectors.marks_status(marks, today),
        "due_date": marks.due_date,
        "warn_on": marks.warn_on,
        "severe_on": marks.severe_on,
    }


def clock_pause(case: Case, today: date) -> list[list[str | None]]:
    deadline = selectors.case_deadline(case)
    if deadline is None:
        return list(case.pauses)
    deadline.pause(today)  # refuses a second pause
    return [*case.pauses, [today.isoformat(), None]]


def clock_resume(case: Case, today: date) -> list[list[str | None]]:
    deadline = selectors.case_deadline(case)
    if deadline is None or not deadline.is_paused:
        return list(case.pauses)
    deadline.resume(today)
    return [*case.pauses[:-1], [case.pauses[-1][0], today.isoformat()]]


def move(
    case: Case,
    *,
    to: str,
    action: str,
    actor: Actor | None,
    now: datetime,
    fields: dict[str, Any] | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> Case:
    """Move the case and store its clock as it stands after the move."""
    changes = dict(fields or {})
    probe = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for name, value in changes.items():
        setattr(probe, name, value)
    if to in OPEN_STATES:
        changes.update(clock_fields(probe, local_day(now)))
    CASE.move(
        case,
        to=to,
        action=action,
        actor=actor,
        at=now,
        fields=changes,
        reason=reason,
        detail=detail,
    )
    return case


def close_fields(case: Case, result: str, now: datetime, reason: str) -> dict[str, Any]:
    return {
        "result": result,
        "retention": case.retention_map.get(result, ""),
        "result_reason": reason,
        "closed_at": now,
        "deadline_status": DeadlineStatus.NONE,
    }


# --- Moves more than one stage makes ------------------------------------------------------


def missing_required(case: Case) -> list[CaseMaterial]:
    return [
        line
        for line in CaseMaterial.objects.filter(case=case, required=True)
        if not line.is_provided
    ]


def require_materials(case: Case) -> None:
    missing = missing_required(case)
    if missing:
        raise DomainError(
            ErrorCode.MATERIAL_REQUIRED,
            _("Required material missing: %(names)s.")
            % {"names": "、".join(line.name for line in missing)},
            materials=[line.material_id for line in missing],
        )


def move_to_accepted(case: Case, actor: StaffUser, now: datetime) -> None:
    """The move to accepted (受理), once every required material is there: the window's
    acceptance and the 即办 decision at the window both make it."""
    require_materials(case)
    move(
        case,
        to=CaseState.ACCEPTED,
        action=CaseAction.ACCEPT,
        actor=actor,
        now=now,
        fields={"accepted_at": now},
    )


def licences_issue(
    case: Case,
    actor: StaffUser,
    now: datetime,
    face: dict[str, Any] | None = None,
    *,
    delegated: bool = False,
) -> None:
    """A grant issues the item's e-licences in the decision's transaction (decision 0036),
    recorded on the timeline. A decision the department delegated to the window (即办,
    decision 0034) issues them in the platform's name: the clerk is no issuer, and the
    timeline and audit say who decided."""
    issued = licensing.licences_issue_for_decision(
        actor=None if delegated else actor, case=case, now=now, face=face
    )
    if issued:
        CASE.record(
            case, action=CaseAction.LICENCE, actor=actor, at=now, detail={"licences": issued}
        )
