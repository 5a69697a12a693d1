"""The vocabularies of cases (办件): channels, states and their moves (the CASE state machine),
review steps, results and their archival retention (保管期限), how a material is provided,
deadline states, and error codes.

A case's life (docs/decisions/0022-cases.md):

    draft ─▶ submitted ─▶ pre_review ─▶ accepted ─▶ in_review ─▶ decided ─▶ result_produced
                             │  ▲  │                  │  ▲                          │
                             ▼  │  ▼                  ▼  │                          ▼
                     correction  not_accepted      suspended            awaiting_delivery
                                     │                                              │
                                     ▼                                              ▼
                                  archived ◀──────────── withdrawn       delivered ─▶ archived

A window application starts at pre_review (the clerk checks the materials with the applicant
in front of them); an online one is a draft until submitted. Withdrawal is possible until the
decision.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.cases.models import Case


class CaseChannel(models.TextChoices):
    WINDOW = "window", pgettext_lazy("channel of an application", "At a window")
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("Self-service kiosk")
    PARTNER = "partner", _("Partner channel")


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PRE_REVIEW = "pre_review", _("Checking the application")
    CORRECTION = "correction", _("Waiting for corrections")  # 补正
    ACCEPTED = "accepted", _("Accepted")  # 受理
    NOT_ACCEPTED = "not_accepted", _("Not accepted")  # 不予受理
    IN_REVIEW = "in_review", _("In review")
    SUSPENDED = "suspended", _("Special procedure")  # 特别程序: 听证, 专家评审, 现场核查
    DECIDED = "decided", _("Decided")
    RESULT_PRODUCED = "result_produced", _("Result ready")
    AWAITING_DELIVERY = "awaiting_delivery", _("Awaiting delivery")
    DELIVERED = "delivered", _("Delivered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


S = CaseState

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.PRE_REVIEW, S.WITHDRAWN}),
    S.PRE_REVIEW: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.CORRECTION, S.WITHDRAWN}),
    S.CORRECTION: frozenset({S.PRE_REVIEW, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.SUSPENDED, S.DECIDED, S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.IN_REVIEW}),
    S.DECIDED: frozenset({S.RESULT_PRODUCED}),
    S.RESULT_PRODUCED: frozenset({S.AWAITING_DELIVERY}),
    S.AWAITING_DELIVERY: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.ARCHIVED}),
    S.NOT_ACCEPTED: frozenset({S.ARCHIVED}),
    S.WITHDRAWN: frozenset({S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
}

# The clock runs in these states (and is paused in CORRECTION and SUSPENDED, which are
# open too): the sweep looks at every open case.
OPEN_STATES: frozenset[str] = frozenset(
    {S.SUBMITTED, S.PRE_REVIEW, S.CORRECTION, S.ACCEPTED, S.IN_REVIEW, S.SUSPENDED}
)
# Closed: what the applicant may rate (好差评), once. A result delivered, an application not
# accepted (or whose corrections lapsed) and a withdrawal all end the service the applicant
# received, and each is closed when it happens (`closed_at`); archiving keeps it closed.
RATABLE_STATES: frozenset[str] = frozenset({S.DELIVERED, S.NOT_ACCEPTED, S.WITHDRAWN, S.ARCHIVED})
# States in which the applicant may still withdraw.
WITHDRAWABLE: frozenset[str] = frozenset(
    state for state, moves in ALLOWED_TRANSITIONS.items() if S.WITHDRAWN in moves
)


class CaseAction(models.TextChoices):
    """What a case's timeline records, in plain words for the applicant."""

    CREATE = "create", _("Application started")
    MATERIAL = "material", _("Material provided")
    SUBMIT = "submit", _("Application submitted")
    TAKE = "take", _("Application taken for checking")
    CORRECTION_REQUEST = "correction_request", _("One-time notice of what is missing")
    CORRECTION_ANSWER = "correction_answer", _("Missing materials provided")
    CORRECTION_LAPSE = "correction_lapse", _("Corrections not made in time")
    ACCEPT = "accept", _("Application accepted")
    REFUSE_ACCEPTANCE = "refuse_acceptance", _("Application not accepted")
    START_REVIEW = "start_review", _("Review started")
    ASSIGN = "assign", _("Assigned to an approver")
    STEP_COMPLETE = "step_complete", _("Review step completed")
    SUSPEND = "suspend", _("Special procedure started")
    RESUME = "resume", _("Special procedure ended")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_DECIDE = "extension_decide", _("Extension decided")
    DECIDE = "decide", _("Decision made")
    LICENCE = "licence", _("E-licence issued")  # 电子证照, on a decision that grants
    PRODUCE_RESULT = "produce_result", _("Result produced")
    DISPATCH = "dispatch", _("Result sent for delivery")
    DELIVER = "deliver", _("Result delivered")
    WITHDRAW = "withdraw", _("Application withdrawn")
    ARCHIVE = "archive", _("Archived")
    DEADLINE = "deadline", _("Deadline status changed")
    RATE = "rate", _("Service rated")  # 好差评
    COURIER_REVEAL = "courier_reveal", _("Delivery address read for the courier")


class StepKind(models.TextChoices):
    """The review steps a case type may have (审查 → 决定 by default)."""

    EXAMINE = "examine", _("Examination")  # 审查
    SITE_INSPECTION = "site_inspection", _("Site inspection")  # 现场核查
    EXPERT_REVIEW = "expert_review", _("Expert review")  # 专家评审
    PUBLICITY = "publicity", _("Public notice")  # 公示
    SECOND_APPROVAL = "second_approval", _("Second approval")  # 复核
    DECIDE = "decide", _("Decision")  # 决定


class CaseResult(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REFUSED = "refused", _("Refused")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What an approver may decide; the other two results come from not accepting and withdrawing.
DECISIONS: frozenset[str] = frozenset(
    {CaseResult.APPROVED, CaseResult.APPROVED_WITH_CONDITIONS, CaseResult.REFUSED}
)


class Retention(models.TextChoices):
    """保管期限: how long the case file is kept in the archive."""

    PERMANENT = "permanent", _("Permanent")  # 永久
    YEARS_30 = "30y", _("30 years")  # 30年
    YEARS_10 = "10y", _("10 years")  # 10年


class Provision(models.TextChoices):
    """How one material of the checklist is provided."""

    UPLOAD = "upload", _("Uploaded file")
    PAPER = "paper", _("Paper original checked at the window")
    E_LICENCE = "e_licence", _("Electronic licence")  # 电子证照
    HELD = "held", _("Held by the government")  # 免提交: never asked for
    MISSING = "missing", _("Not provided")


class DeadlineStatus(models.TextChoices):
    ON_TIME = "on_time", pgettext_lazy("deadline status", "On time")
    WARNING = "warning", _("Nearly due")  # ≥ 80 % of the limit used
    OVERDUE = "overdue", _("Overdue")
    SEVERELY_OVERDUE = "severely_overdue", _("Severely overdue")  # ≥ 3× the limit
    PAUSED = "paused", _("Clock paused")
    NONE = "none", _("No time limit")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("Collect at the issuance window")
    LOCKER = "locker", _("Pickup locker")
    COURIER = "courier", _("Courier")


class SpecialProcedure(models.TextChoices):
    HEARING = "hearing", _("Hearing")  # 听证
    EXPERT_REVIEW = "expert_review", _("Expert review")  # 专家评审
    SITE_INSPECTION = "site_inspection", _("Site inspection")  # 现场核查


class ErrorCode(StrEnum):
    CASE_NOT_FOUND = "case_not_found"
    ITEM_NOT_AVAILABLE = "item_not_available"
    APPLICANT_REQUIRED = "applicant_required"
    TICKET_NOT_AT_WINDOW = "ticket_not_at_window"
    MATERIAL_REQUIRED = "material_required"
    MATERIAL_UNKNOWN = "material_unknown"
    MATERIAL_NOT_ASKED = "material_not_asked"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    INVALID_REASON = "invalid_reason"
    INVALID_RESULT = "invalid_result"
    INVALID_DAYS = "invalid_days"
    NOTICE_ALREADY_ISSUED = "notice_already_issued"
    NOTICE_EMPTY = "notice_empty"
    CORRECTION_LATE = "correction_late"
    STEP_PENDING = "step_pending"
    SAME_APPROVER = "same_approver"
    NOT_ASSIGNED = "not_assigned"
    ASSIGNEE_INVALID = "assignee_invalid"
    EXTENSION_PENDING = "extension_pending"
    EXTENSION_NOT_FOUND = "extension_not_found"
    DELIVERY_INVALID = "delivery_invalid"
    INVALID_DATE = "invalid_date"
    INVALID_LIMIT = "invalid_limit"
    INVALID_UNIT = "invalid_unit"
    NO_CENTRE_CODE = "no_centre_code"
    NOT_CLOSED = "not_closed"
    ALREADY_RATED = "already_rated"
    NOT_ON_THE_SPOT = "not_on_the_spot"
    COURIER_ADDRESS = "courier_address"


def case_summary(case: Case) -> dict[str, Any]:
    """What the audit log keeps of a case: no personal data."""
    return {
        "number": case.number,
        "item_id": case.item_id,
        "state": case.state,
        "centre_id": case.centre_id,
        "department_id": case.department_id,
        "result": case.result,
        "assignee_id": case.assignee_id,
    }


def _timeline(entry: TimelineEntry[Case]) -> None:
    # Imported here: the models import this module.
    from onestop.cases.models import CaseEvent

    CaseEvent.objects.create(
        case=entry.row,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        at=entry.at,
        note=entry.reason,
        detail=dict(entry.detail),
    )


def _describe(case: Case) -> str:
    if case.number:
        return gettext("Case %(number)s") % {"number": case.number}
    return gettext("This application")


# Every move of a case goes through this machine (core.workflow): the table is checked, the
# row claimed by a conditional UPDATE, and the case's timeline (which the applicant reads in
# plain words) and the audit entry `cases.case.<action>` written in the service's transaction.
CASE: StateMachine[Case] = StateMachine(
    entity="cases.case",
    states=CaseState,
    transitions=ALLOWED_TRANSITIONS,
    summary=case_summary,
    timeline=_timeline,
    describe=_describe,
)
