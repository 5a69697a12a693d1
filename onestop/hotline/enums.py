"""The vocabularies of the 12345 hotline (一号): channels, the five kinds of request, urgency,
the work order's states and moves (its state machine), the return visit's answers, and
error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.hotline.models import OrderPart, WorkOrder


class Channel(models.TextChoices):
    """How a request reached the hotline."""

    PHONE = "phone", _("Phone")
    WEB = "web", _("Web form")
    WECHAT = "wechat", _("WeChat")
    APP = "app", _("Mobile app")
    OPEN311 = "open311", _("Open311")
    CHATBOT = "chatbot", _("Chatbot")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Abandoned")  # the caller hung up while queued
    CALLBACK = "callback", _("Callback offered")  # outside the line's hours


class OrderKind(models.TextChoices):
    HELP = "help", _("Help")  # 求助
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    REPORT = "report", _("Report")  # 举报: the informant is never shown to the department
    CONSULTATION = "consultation", pgettext_lazy("12345 request kind", "Consultation")  # 咨询
    SUGGESTION = "suggestion", _("Suggestion")  # 建议


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class DueUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("hours")


# Default time limits by kind (and urgency), used where no DueRule row says otherwise.
# Urgent requests of any kind: 2 hours on the clock.
DEFAULT_LIMITS: dict[tuple[str, str], tuple[int, str]] = {
    (OrderKind.HELP, Urgency.NORMAL): (3, DueUnit.WORKING_DAYS),
    (OrderKind.COMPLAINT, Urgency.NORMAL): (5, DueUnit.WORKING_DAYS),
    (OrderKind.REPORT, Urgency.NORMAL): (5, DueUnit.WORKING_DAYS),
    (OrderKind.CONSULTATION, Urgency.NORMAL): (1, DueUnit.WORKING_DAYS),
    (OrderKind.SUGGESTION, Urgency.NORMAL): (10, DueUnit.WORKING_DAYS),
    **{(kind, Urgency.URGENT): (2, DueUnit.HOURS) for kind in OrderKind.values},
}


class OrderState(models.TextChoices):
    NEW = "new", _("Registered")  # 已登记, not yet dispatched
    DISPATCHED = "dispatched", _("Dispatched")  # 已派单, waiting for the department
    RETURNED = "returned", _("Returned")  # 已退单, back with the dispatcher
    IN_PROGRESS = "in_progress", _("Being handled")  # 处理中
    AWAITING_CITIZEN = "awaiting_citizen", _("Waiting for the citizen")  # 待补充, clock paused
    REPLIED = "replied", _("Replied")  # 已答复, waiting for the return visit
    CLOSED = "closed", _("Closed")  # 已办结


# States in which the department's clock runs (and the sweep looks at the due time).
CLOCK_STATES: frozenset[str] = frozenset({OrderState.DISPATCHED, OrderState.IN_PROGRESS})
# States in which the order is still open (Open311's "open").
OPEN_STATES: frozenset[str] = frozenset(set(OrderState.values) - {OrderState.CLOSED})

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    # A consultation answered during the call closes at once (first-contact resolution).
    OrderState.NEW: frozenset({OrderState.DISPATCHED, OrderState.CLOSED}),
    OrderState.DISPATCHED: frozenset({OrderState.IN_PROGRESS, OrderState.RETURNED}),
    OrderState.RETURNED: frozenset({OrderState.DISPATCHED, OrderState.CLOSED}),
    OrderState.IN_PROGRESS: frozenset(
        {OrderState.AWAITING_CITIZEN, OrderState.REPLIED, OrderState.RETURNED}
    ),
    OrderState.AWAITING_CITIZEN: frozenset({OrderState.IN_PROGRESS}),
    # Unsatisfied or unresolved at the return visit: back to the same department.
    OrderState.REPLIED: frozenset({OrderState.CLOSED, OrderState.DISPATCHED}),
    OrderState.CLOSED: frozenset(),
}


class OrderAction(models.TextChoices):
    """What a work order's timeline records."""

    CREATE = "create", _("Registered")
    DISPATCH = "dispatch", _("Dispatched")
    CONSULTATION_ANSWER = "consultation_answer", _("Answered during the call")
    ACCEPT = "accept", _("Accepted by the department")
    RETURN = "return", _("Returned to the dispatcher")
    EXTENSION_REQUEST = "extension_request", _("Extension asked for")
    EXTENSION_APPROVE = "extension_approve", _("Extension approved")
    EXTENSION_REJECT = "extension_reject", _("Extension refused")
    ASK = "ask", _("Question to the citizen")
    ANSWER = "answer", _("Citizen answered")
    ANSWER_TIMEOUT = "answer_timeout", _("No answer from the citizen")
    ADD_INFORMATION = "add_information", _("Citizen added information")
    REPLY = "reply", _("Department replied")
    RETURN_VISIT = "return_visit", _("Return visit")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    WARN = "warn", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATE = "escalate", _("Escalated to the department head")
    CONTACT_REVEAL = "contact_reveal", _("Full number shown")
    ATTACH = "attach", _("File attached")
    # An assisting department's part (协办) of a multi-department order.
    PART_ADD = "part_add", _("Assisting department added")
    PART_ACCEPT = "part_accept", _("Part accepted")
    PART_RETURN = "part_return", _("Part returned")
    PART_REDISPATCH = "part_redispatch", _("Part sent again")
    PART_CANCEL = "part_cancel", _("Part withdrawn")
    PART_REPLY = "part_reply", _("Part replied")
    PART_REOPEN = "part_reopen", _("Part reopened")
    PART_WARN = "part_warn", _("Part due soon")
    PART_OVERDUE = "part_overdue", _("Part overdue")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


def order_summary(order: WorkOrder) -> dict[str, Any]:
    """What the audit log keeps of a work order: no text, no contact."""
    return {
        "number": order.number,
        "state": order.state,
        "kind": order.kind,
        "department_id": order.department_id,
        "category_id": order.category_id,
        "region_code": order.region_code,
    }


def _order_timeline(entry: TimelineEntry[WorkOrder]) -> None:
    # Imported here: the models import this module.
    from onestop.hotline.models import RollupDay, WorkOrderEvent

    WorkOrderEvent.objects.create(
        order=entry.row,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        department_id=entry.row.department_id,
        at=entry.at,
        note=entry.reason,
        detail=dict(entry.detail),
        public=bool(entry.context.get("public", True)),
    )
    # An order of an earlier day changed: that day's rollup (metrics) is computed again by
    # the next run. Orders of the day itself are counted live until the day is rolled up.
    created = timezone.localdate(entry.row.created_at)
    if created < timezone.localdate(entry.at):
        RollupDay.objects.filter(day=created, dirty=False).update(dirty=True)


def _describe(order: WorkOrder) -> str:
    return gettext("Work order %(number)s") % {"number": order.number}


# Every move of a work order goes through this machine: the table is checked, the row
# claimed, and the order's timeline (which the citizen reads when tracking it) and the audit
# entry `hotline.order.<action>` written in the service's transaction.
WORKORDER: StateMachine[WorkOrder] = StateMachine(
    entity="hotline.order",
    states=OrderState,
    transitions=ALLOWED_TRANSITIONS,
    summary=order_summary,
    timeline=_order_timeline,
    describe=_describe,
)


class PartState(models.TextChoices):
    """An assisting department's part of a multi-department order (协办)."""

    DISPATCHED = "dispatched", _("Waiting for the department")  # 待签收
    IN_PROGRESS = "in_progress", _("Being handled")  # 处理中
    RETURNED = "returned", _("Returned")  # 已退回, the dispatcher sends it elsewhere or drops it
    REPLIED = "replied", _("Replied")  # 已回复, the lead may compile the order's reply
    CANCELLED = "cancelled", _("Withdrawn")  # 已撤销


# Parts whose clock runs (the sweep watches their own due time).
PART_CLOCK_STATES: frozenset[str] = frozenset({PartState.DISPATCHED, PartState.IN_PROGRESS})
# Parts the lead department's reply waits for: every part not withdrawn and not replied.
PART_PENDING_STATES: frozenset[str] = frozenset(
    {PartState.DISPATCHED, PartState.IN_PROGRESS, PartState.RETURNED}
)

PART_TRANSITIONS: dict[str, frozenset[str]] = {
    # The dispatcher may withdraw a part the order no longer needs, at any point before its
    # reply.
    PartState.DISPATCHED: frozenset(
        {PartState.IN_PROGRESS, PartState.RETURNED, PartState.CANCELLED}
    ),
    PartState.IN_PROGRESS: frozenset({PartState.REPLIED, PartState.RETURNED, PartState.CANCELLED}),
    # A returned part goes to another department, or is withdrawn by the dispatcher.
    PartState.RETURNED: frozenset({PartState.DISPATCHED, PartState.CANCELLED}),
    # The return visit reopens the whole order: every part that replied is handled again.
    PartState.REPLIED: frozenset({PartState.DISPATCHED}),
    PartState.CANCELLED: frozenset(),
}


def part_summary(part: OrderPart) -> dict[str, Any]:
    """What the audit log keeps of a part: no text, no contact."""
    return {
        "order_id": part.order_id,
        "state": part.state,
        "department_id": part.department_id,
    }


def _part_timeline(entry: TimelineEntry[OrderPart]) -> None:
    # A part's moves are written on its order's timeline, under the part's department.
    from onestop.hotline.models import RollupDay, WorkOrderEvent

    part = entry.row
    WorkOrderEvent.objects.create(
        order_id=part.order_id,
        part=part,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        department_id=part.department_id,
        at=entry.at,
        note=entry.reason,
        detail=dict(entry.detail),
        public=bool(entry.context.get("public", False)),
    )
    created = entry.context.get("order_created_at")
    if created is not None and timezone.localdate(created) < timezone.localdate(entry.at):
        RollupDay.objects.filter(day=timezone.localdate(created), dirty=False).update(dirty=True)


def _describe_part(part: OrderPart) -> str:
    return gettext("The part of work order %(id)s") % {"id": part.order_id}


# Every move of a part goes through this machine, like the order's: the part's state is
# checked and claimed, and the order's timeline (internal entries, under the part's
# department) and the audit entry `hotline.order.part_<action>` (the audit log's object is the
# part) are written in the same transaction.
ORDER_PART: StateMachine[OrderPart] = StateMachine(
    entity="hotline.order",
    states=PartState,
    transitions=PART_TRANSITIONS,
    summary=part_summary,
    timeline=_part_timeline,
    describe=_describe_part,
)


class ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    ORDER_NOT_FOUND = "order_not_found"
    INVALID_TEXT = "invalid_text"
    INVALID_PHONE = "invalid_phone"
    INVALID_KIND = "invalid_kind"
    INVALID_URGENCY = "invalid_urgency"
    INVALID_CHANNEL = "invalid_channel"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_DEPARTMENT = "unknown_department"
    UNKNOWN_LINE = "unknown_line"
    INVALID_LOCATION = "invalid_location"
    INVALID_USCC = "invalid_uscc"
    NO_ROUTE = "no_route"
    REASON_REQUIRED = "reason_required"
    INVALID_EXTENSION = "invalid_extension"
    EXTENSION_PENDING = "extension_pending"
    NO_EXTENSION_PENDING = "no_extension_pending"
    NOT_CONSULTATION = "not_consultation"
    INVALID_SATISFACTION = "invalid_satisfaction"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    INVALID_TAXONOMY = "invalid_taxonomy"
    INVALID_CALL = "invalid_call"
    KEY_EXISTS = "open311_key_exists"
    KEY_NOT_FOUND = "open311_key_not_found"
    CALL_NOT_FOUND = "call_not_found"
    INVALID_LINES = "invalid_lines"
    ILLEGAL_TRANSITION = "illegal_transition"
    PART_NOT_FOUND = "part_not_found"
    PARTS_PENDING = "parts_pending"
    PART_EXISTS = "part_exists"
    INVALID_PART_DUE = "invalid_part_due"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE = "attachment_type"
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
