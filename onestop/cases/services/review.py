"""The department's back office: taking a case, assignment, the review steps, special
procedures that pause the clock, extensions (延期) the head approves, the decision with the
e-licences a grant issues, and the applicant's withdrawal before it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onestop.cases import selectors
from onestop.cases.enums import (
    CASE,
    OPEN_STATES,
    WITHDRAWABLE,
    CaseAction,
    CaseResult,
    CaseState,
    ErrorCode,
    SpecialProcedure,
    StepKind,
)
from onestop.cases.models import Case, CaseExtension
from onestop.cases.policies import RULES, Perm
from onestop.cases.services._moves import (
    clock_fields,
    clock_pause,
    clock_resume,
    close_fields,
    decision_notify,
    decision_reason,
    licences_issue,
    local_day,
    milestone_text,
    move,
    notify,
    reason_text,
)
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.service import audited
from onestop.identity.actors import Citizen, StaffUser

EXTENSION_MAX_DAYS = 60
SUSPENSION_MAX_DAYS = 120


@audited("cases.case.start_review", timeline=True)
def case_review_start(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """An approver of the department takes an accepted case: it is theirs to review."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    return move(
        case,
        to=CaseState.IN_REVIEW,
        action=CaseAction.START_REVIEW,
        actor=actor,
        now=now,
        fields={"assignee": actor},
    )


def _assignee(case: Case, actor: StaffUser) -> None:
    if case.assignee_id != actor.pk:
        raise Conflict(ErrorCode.NOT_ASSIGNED, _("This case is assigned to another approver."))


@audited("cases.case.assign", timeline=True)
def case_assign(
    *, actor: StaffUser, case_id: int, assignee_id: int, now: datetime | None = None
) -> Case:
    """Reassign a case in review to another approver of its department."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state not in (CaseState.IN_REVIEW, CaseState.SUSPENDED):
        CASE.check(case, CaseState.IN_REVIEW)
    assignee = StaffUser.objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None or not RULES.can(assignee, Perm.REVIEW, case.place):
        raise DomainError(
            ErrorCode.ASSIGNEE_INVALID, _("The new approver must review this department's cases.")
        )
    Case.objects.filter(pk=case.pk).update(assignee=assignee)
    case.assignee = assignee  # type: ignore[assignment]
    CASE.record(
        case, action=CaseAction.ASSIGN, actor=actor, at=now, detail={"assignee_id": assignee.pk}
    )
    return case


@audited("cases.case.step_complete", timeline=True)
def case_step_complete(
    *, actor: StaffUser, case_id: int, note: str = "", now: datetime | None = None
) -> Case:
    """Complete the current review step before the decision (审查, 现场核查, 公示 ...). A
    second approval is done by an approver who did none of the steps before it."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state != CaseState.IN_REVIEW:
        CASE.check(case, CaseState.DECIDED)
    step = case.current_step
    if step == StepKind.DECIDE:
        raise Conflict(ErrorCode.STEP_PENDING, _("Only the decision is left."))
    if step == StepKind.SECOND_APPROVAL:
        if actor.pk in case.step_actors:
            raise Conflict(ErrorCode.SAME_APPROVER, _("A second approval needs another approver."))
    else:
        _assignee(case, actor)
    claimed = Case.objects.filter(pk=case.pk, step_index=case.step_index).update(
        step_index=F("step_index") + 1
    )
    if not claimed:
        raise Conflict("state_changed", _("Someone completed this step a moment ago."))
    case.step_index += 1
    Case.objects.filter(pk=case.pk).update(step_actors=[*case.step_actors, actor.pk])
    case.step_actors = [*case.step_actors, actor.pk]
    CASE.record(
        case,
        action=CaseAction.STEP_COMPLETE,
        actor=actor,
        at=now,
        reason=reason_text(note, required=False),
        detail={"step": step},
    )
    if step in case.notify_steps:
        notify(
            case,
            f"step-{step}",
            milestone_text(case, gettext_noop("Case %(number)s moved on in review.")),
        )
    return case


@audited("cases.case.suspend", timeline=True)
def case_suspend(
    *,
    actor: StaffUser,
    case_id: int,
    procedure: str,
    reason: str,
    days: int,
    now: datetime | None = None,
) -> Case:
    """A special procedure (听证, 专家评审, 现场核查): the clock stops, with the reason and the
    expected length told to the applicant."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.SUSPENDED)
    _assignee(case, actor)
    if procedure not in SpecialProcedure.values:
        raise DomainError(ErrorCode.INVALID_REASON, _("Choose a special procedure."))
    if not 1 <= days <= SUSPENSION_MAX_DAYS:
        raise DomainError(
            ErrorCode.INVALID_DAYS,
            _("Give between 1 and %(max)d days.") % {"max": SUSPENSION_MAX_DAYS},
        )
    text = reason_text(reason)
    move(
        case,
        to=CaseState.SUSPENDED,
        action=CaseAction.SUSPEND,
        actor=actor,
        now=now,
        fields={"pauses": clock_pause(case, local_day(now)), "suspension": procedure},
        reason=text,
        detail={"procedure": procedure, "days": days},
    )
    notify(
        case,
        f"suspend-{len(case.pauses)}",
        milestone_text(
            case, gettext_noop("Case %(number)s is in a special procedure; its clock is paused.")
        ),
    )
    return case


@audited("cases.case.resume", timeline=True)
def case_resume(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.IN_REVIEW)
    _assignee(case, actor)
    return move(
        case,
        to=CaseState.IN_REVIEW,
        action=CaseAction.RESUME,
        actor=actor,
        now=now,
        fields={"pauses": clock_resume(case, local_day(now)), "suspension": ""},
    )


@audited("cases.case.extension_request", timeline=True)
def case_extension_request(
    *, actor: StaffUser, case_id: int, days: int, reason: str, now: datetime | None = None
) -> CaseExtension:
    """延期: the approver asks the head for more days, with a reason."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state not in (CaseState.IN_REVIEW, CaseState.SUSPENDED):
        CASE.check(case, CaseState.DECIDED)
    _assignee(case, actor)
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise DomainError(
            ErrorCode.INVALID_DAYS,
            _("Give between 1 and %(max)d days.") % {"max": EXTENSION_MAX_DAYS},
        )
    if CaseExtension.objects.filter(case=case, approved__isnull=True).exists():
        raise Conflict(ErrorCode.EXTENSION_PENDING, _("An extension is already waiting."))
    extension = CaseExtension.objects.create(
        case=case, days=days, reason=reason_text(reason), requested_by=actor, requested_at=now
    )
    CASE.record(
        case,
        action=CaseAction.EXTENSION_REQUEST,
        actor=actor,
        at=now,
        reason=extension.reason,
        detail={"days": days},
    )
    return extension


@audited("cases.case.extension_decide", timeline=True)
def case_extension_decide(
    *, actor: StaffUser, extension_id: int, approve: bool, now: datetime | None = None
) -> CaseExtension:
    """The department's head approves or refuses an extension; an approved one lengthens
    the limit, and the applicant is told."""
    now = now or timezone.now()
    extension = CaseExtension.objects.filter(pk=extension_id, approved__isnull=True).first()
    if extension is None:
        raise NotFound(ErrorCode.EXTENSION_NOT_FOUND, _("No such extension waiting."))
    case = selectors.access_case(actor, extension.case_id, Perm.EXTEND, for_update=True)
    claimed = CaseExtension.objects.filter(pk=extension.pk, approved__isnull=True).update(
        approved=approve, decided_by=actor, decided_at=now
    )
    if not claimed:
        raise Conflict("state_changed", _("This extension was decided a moment ago."))
    extension.approved = approve
    if approve:
        case.extension_days += extension.days
        fields: dict[str, Any] = {"extension_days": case.extension_days}
        if case.state in OPEN_STATES:
            fields.update(clock_fields(case, local_day(now)))
        Case.objects.filter(pk=case.pk).update(**fields)
        for name, value in fields.items():
            setattr(case, name, value)
    CASE.record(
        case,
        action=CaseAction.EXTENSION_DECIDE,
        actor=actor,
        at=now,
        reason=extension.reason,
        detail={"days": extension.days, "approved": approve},
    )
    if approve:
        notify(
            case,
            f"extension-{extension.pk}",
            milestone_text(
                case,
                gettext_noop(
                    "Case %(number)s was extended by %(days)d days; it is now due by %(date)s."
                ),
                days=extension.days,
                date=case.due_date.isoformat() if case.due_date else "-",
            ),
        )
    return extension


@audited("cases.case.decide", timeline=True)
def case_decide(
    *,
    actor: StaffUser,
    case_id: int,
    result: str,
    reason: str = "",
    licence_face: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """The decision, by the case's approver at the decision step: approved, approved with
    conditions (named in the reason) or refused (with its legal reason). A grant of an item
    that produces a licence issues it in the same transaction (face fields from the case,
    completed by `licence_face`), signed once the decision commits (decision 0036)."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.DECIDED)
    _assignee(case, actor)
    if case.current_step != StepKind.DECIDE:
        raise Conflict(
            ErrorCode.STEP_PENDING,
            _("Complete the review steps first: %(step)s is next.")
            % {"step": StepKind(case.current_step).label if case.current_step else "-"},
        )
    text = decision_reason(result, reason)
    fields = close_fields(case, result, now, text)
    fields.update({"decided_at": now, "decided_by": actor, "closed_at": None})
    fields["step_actors"] = [*case.step_actors, actor.pk]
    move(
        case,
        to=CaseState.DECIDED,
        action=CaseAction.DECIDE,
        actor=actor,
        now=now,
        fields=fields,
        reason=text,
        detail={"result": result},
    )
    licences_issue(case, actor, now, licence_face)
    decision_notify(case, result)
    return case


@audited("cases.case.withdraw", timeline=True)
def case_withdraw(
    *, actor: Citizen, case_id: int, reason: str = "", now: datetime | None = None
) -> Case:
    """The applicant withdraws, any time before the decision."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.APPLY, for_update=True)
    if case.state not in WITHDRAWABLE:
        CASE.check(case, CaseState.WITHDRAWN)
    text = reason_text(reason, required=False)
    return move(
        case,
        to=CaseState.WITHDRAWN,
        action=CaseAction.WITHDRAW,
        actor=actor,
        now=now,
        fields=close_fields(case, CaseResult.WITHDRAWN, now, text),
        reason=text,
    )
