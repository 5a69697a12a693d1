"""From an application to an accepted case (受理): submission online, the centre's check,
the one-time notice (一次性告知) and its answer or lapse, acceptance, and refusal to accept
(不予受理)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onestop.cases import selectors
from onestop.cases.enums import CASE, CaseAction, CaseResult, CaseState, ErrorCode, Provision
from onestop.cases.models import Case, CaseMaterial, CorrectionNotice
from onestop.cases.policies import Perm
from onestop.cases.services._moves import (
    clock_pause,
    clock_resume,
    close_fields,
    local_day,
    milestone_text,
    missing_required,
    move,
    move_to_accepted,
    notify,
    number_next,
    rating_invite,
    reason_text,
    require_materials,
)
from onestop.centres import selectors as centres
from onestop.core.errors import Conflict, DomainError
from onestop.core.service import audited
from onestop.core.workdays import add_working_days
from onestop.identity.actors import Account, Citizen, StaffUser

# Working days an applicant has to answer a one-time notice, unless the clerk says otherwise.
CORRECTION_DAYS = 5

WEB_PREFIX = "WEB"


def _online_centre(case: Case) -> Any:
    """The centre that checks an online application: the first active centre of the item's
    region (the city's for a city item)."""
    found = centres.centres_in_region(case.region_code).order_by("level", "code").first()
    if found is None:
        found = centres.centres_active().order_by("code").first()
    if found is None:
        raise DomainError(ErrorCode.NO_CENTRE_CODE, _("No service centre can take this case."))
    return found


@audited("cases.case.submit", timeline=True)
def case_submit(*, actor: Citizen, case_id: int, now: datetime | None = None) -> Case:
    """Submit an online application: every required material must be there. It is numbered,
    its clock starts, and it goes to the centre that checks it."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.APPLY, for_update=True)
    CASE.check(case, CaseState.SUBMITTED)
    require_materials(case)
    centre = _online_centre(case)
    today = local_day(now)
    move(
        case,
        to=CaseState.SUBMITTED,
        action=CaseAction.SUBMIT,
        actor=actor,
        now=now,
        fields={
            "number": number_next(WEB_PREFIX, today),
            "received_on": today,
            "submitted_at": now,
            "centre": centre,
        },
    )
    notify(
        case,
        "submit",
        milestone_text(case, gettext_noop("Your application %(number)s has been received.")),
    )
    return case


@audited("cases.case.take", timeline=True)
def case_take(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """A clerk of the case's centre starts checking a submitted online application."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    return move(case, to=CaseState.PRE_REVIEW, action=CaseAction.TAKE, actor=actor, now=now)


@dataclass(frozen=True)
class Problem:
    """One line of a one-time notice: the checklist line (None: something outside it, such
    as a form field) and what is wrong."""

    material_id: int | None
    problem: str


@audited("cases.case.correction_request", timeline=True)
def case_correction_request(
    *,
    actor: StaffUser,
    case_id: int,
    problems: Sequence[Problem],
    days: int = CORRECTION_DAYS,
    now: datetime | None = None,
) -> CorrectionNotice:
    """一次性告知: name everything missing or wrong at once. The applicant has `days` working
    days; the clock stops until they answer. A case gets one notice: later checks may not ask
    for anything it did not name."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    if CorrectionNotice.objects.filter(case=case).exists():
        raise Conflict(
            ErrorCode.NOTICE_ALREADY_ISSUED,
            _("This application already had its one-time notice; nothing more may be asked."),
        )
    CASE.check(case, CaseState.CORRECTION)
    if not problems:
        raise DomainError(ErrorCode.NOTICE_EMPTY, _("Name at least one problem."))
    if not 1 <= days <= 60:
        raise DomainError(ErrorCode.INVALID_DAYS, _("Give between 1 and 60 working days."))
    lines = {line.material_id: line for line in CaseMaterial.objects.filter(case=case)}
    rows = []
    for problem in problems:
        text = reason_text(problem.problem)
        if problem.material_id is not None:
            line = lines.get(problem.material_id)
            if line is None:
                raise DomainError(
                    ErrorCode.MATERIAL_UNKNOWN,
                    _("This material is not on the application's checklist."),
                )
            if line.provision == Provision.HELD:
                raise DomainError(
                    ErrorCode.MATERIAL_NOT_ASKED,
                    _("“%(name)s” is held by the government and may not be asked for.")
                    % {"name": line.name},
                )
            rows.append({"material_id": line.material_id, "name": line.name, "problem": text})
        else:
            rows.append({"material_id": None, "name": "", "problem": text})
    today = local_day(now)
    notice = CorrectionNotice.objects.create(
        case=case,
        problems=rows,
        issued_by=actor,
        issued_at=now,
        answer_by=add_working_days(today, days),
    )
    move(
        case,
        to=CaseState.CORRECTION,
        action=CaseAction.CORRECTION_REQUEST,
        actor=actor,
        now=now,
        fields={"pauses": clock_pause(case, today)},
        detail={"problems": len(rows), "answer_by": notice.answer_by.isoformat()},
    )
    notify(
        case,
        "correction",
        milestone_text(
            case,
            gettext_noop(
                "Application %(number)s needs corrections by %(date)s; see the one-time notice."
            ),
            date=notice.answer_by.isoformat(),
        ),
    )
    return notice


@audited("cases.case.correction_answer", timeline=True)
def case_correction_answer(*, actor: Account, case_id: int, now: datetime | None = None) -> Case:
    """The applicant (or the clerk, at the window) says the notice is answered: the case goes
    back to checking and the clock runs again. Refused after the notice's date."""
    now = now or timezone.now()
    perm = Perm.WINDOW if isinstance(actor, StaffUser) else Perm.APPLY
    case = selectors.access_case(actor, case_id, perm, for_update=True)
    CASE.check(case, CaseState.PRE_REVIEW)
    notice = CorrectionNotice.objects.get(case=case)
    today = local_day(now)
    if today > notice.answer_by:
        raise DomainError(
            ErrorCode.CORRECTION_LATE,
            _("The corrections were due by %(date)s; the application can no longer be completed.")
            % {"date": notice.answer_by.isoformat()},
        )
    missing = [line for line in missing_required(case) if notice.names_material(line.material_id)]
    if missing:
        raise DomainError(
            ErrorCode.MATERIAL_REQUIRED,
            _("Required material missing: %(names)s.")
            % {"names": "、".join(line.name for line in missing)},
        )
    CorrectionNotice.objects.filter(pk=notice.pk).update(answered_at=now)
    return move(
        case,
        to=CaseState.PRE_REVIEW,
        action=CaseAction.CORRECTION_ANSWER,
        actor=actor,
        now=now,
        fields={"pauses": clock_resume(case, today)},
    )


@audited("cases.case.correction_lapse", timeline=True)
def case_correction_lapse(
    *, actor: StaffUser | None, case_id: int, now: datetime | None = None
) -> Case:
    """A notice not answered in time: the application is not accepted."""
    now = now or timezone.now()
    case = selectors.access_case(
        actor, case_id, Perm.WINDOW if actor is not None else Perm.SWEEP, for_update=True
    )
    notice = CorrectionNotice.objects.filter(case=case).first()
    if notice is None or local_day(now) <= notice.answer_by:
        raise Conflict(
            ErrorCode.CORRECTION_LATE, _("The applicant still has time to make the corrections.")
        )
    reason = milestone_text(
        case, gettext_noop("Corrections not made by the date of the one-time notice.")
    )
    return move(
        case,
        to=CaseState.NOT_ACCEPTED,
        action=CaseAction.CORRECTION_LAPSE,
        actor=actor,
        now=now,
        fields=close_fields(case, CaseResult.NOT_ACCEPTED, now, reason),
    )


@audited("cases.case.accept", timeline=True)
def case_accept(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """受理: the application is complete. It goes to the deciding department's inbox."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    CASE.check(case, CaseState.ACCEPTED)
    move_to_accepted(case, actor, now)
    notify(
        case,
        "accept",
        milestone_text(
            case,
            gettext_noop("Application %(number)s was accepted; it is due by %(date)s."),
            date=case.due_date.isoformat() if case.due_date else "-",
        ),
    )
    return case


@audited("cases.case.refuse_acceptance", timeline=True)
def case_refuse_acceptance(
    *, actor: StaffUser, case_id: int, reason: str, now: datetime | None = None
) -> Case:
    """不予受理, with the reason the applicant is told."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    text = reason_text(reason)
    move(
        case,
        to=CaseState.NOT_ACCEPTED,
        action=CaseAction.REFUSE_ACCEPTANCE,
        actor=actor,
        now=now,
        fields=close_fields(case, CaseResult.NOT_ACCEPTED, now, text),
        reason=text,
    )
    notify(
        case,
        "not_accepted",
        milestone_text(case, gettext_noop("Application %(number)s was not accepted.")),
    )
    rating_invite(case)
    return case
