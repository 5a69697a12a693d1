"""即办: an item the catalog promises "on the spot" is accepted and decided at the window in
one go (当场办结), docs/decisions/0034.

The case still goes through every state of the CASE machine, none skipped: accepted, in
review (each review step completed by the clerk), decided, result produced, awaiting
delivery, and delivered when the applicant takes the result at the window. One service runs
the moves in one transaction with one time, so the timeline shows every step at the same
minute, the audit log has an entry per move, and a failure anywhere leaves the application
in pre-review as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases import selectors
from onestop.cases.enums import (
    CASE,
    CaseAction,
    CaseResult,
    CaseState,
    DeliveryMethod,
    ErrorCode,
    StepKind,
)
from onestop.cases.models import Case
from onestop.cases.policies import Perm
from onestop.cases.services._moves import (
    close_fields,
    decision_notify,
    decision_reason,
    licences_issue,
    move,
    move_to_accepted,
    rating_invite,
)
from onestop.core.errors import Conflict
from onestop.core.service import audited
from onestop.identity.actors import StaffUser


@audited("cases.case.accept", "cases.case.decide", timeline=True)
def case_decide_at_window(
    *,
    actor: StaffUser,
    case_id: int,
    result: str = CaseResult.APPROVED,
    reason: str = "",
    licence_face: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """当场办结: accept a complete 即办 application and decide it at the window. A result
    to collect at the window is handed over at once (delivered); one for the locker or the
    courier waits at the issuance window like any other. A grant issues the item's
    e-licences as `case_decide` does, with `licence_face` for what the case cannot fill."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.DECIDE_AT_WINDOW, for_update=True)
    if not selectors.is_on_the_spot(case):
        raise Conflict(
            ErrorCode.NOT_ON_THE_SPOT,
            _("Only an item decided on the spot (即办) is decided at the window."),
        )
    if StepKind.SECOND_APPROVAL in case.steps:
        # A second approval (复核) is someone else's by definition: not at one window.
        raise Conflict(
            ErrorCode.NOT_ON_THE_SPOT,
            _("This service needs a second approver; accept it and send it for review."),
        )
    CASE.check(case, CaseState.ACCEPTED)
    text = decision_reason(result, reason)
    move_to_accepted(case, actor, now)
    move(
        case,
        to=CaseState.IN_REVIEW,
        action=CaseAction.START_REVIEW,
        actor=actor,
        now=now,
        fields={"assignee": actor},
    )
    # Every review step before the decision, done by the clerk with the applicant present.
    done: list[int] = []
    for index, step in enumerate(case.steps):
        if step == StepKind.DECIDE:
            break
        Case.objects.filter(pk=case.pk).update(step_index=index + 1)
        case.step_index = index + 1
        done.append(actor.pk)
        CASE.record(
            case, action=CaseAction.STEP_COMPLETE, actor=actor, at=now, detail={"step": step}
        )
    fields = close_fields(case, result, now, text)
    fields.update(
        {
            "decided_at": now,
            "decided_by": actor,
            "closed_at": None,
            "step_actors": [*case.step_actors, *done, actor.pk],
        }
    )
    move(
        case,
        to=CaseState.DECIDED,
        action=CaseAction.DECIDE,
        actor=actor,
        now=now,
        fields=fields,
        reason=text,
        detail={"result": result, "on_the_spot": True},
    )
    licences_issue(case, actor, now, licence_face, delegated=True)
    move(case, to=CaseState.RESULT_PRODUCED, action=CaseAction.PRODUCE_RESULT, actor=actor, now=now)
    move(case, to=CaseState.AWAITING_DELIVERY, action=CaseAction.DISPATCH, actor=actor, now=now)
    if case.delivery_method == DeliveryMethod.WINDOW:
        move(
            case,
            to=CaseState.DELIVERED,
            action=CaseAction.DELIVER,
            actor=actor,
            now=now,
            fields={"delivered_at": now, "closed_at": now},
        )
        rating_invite(case)
    else:
        decision_notify(case, result)
    return case
