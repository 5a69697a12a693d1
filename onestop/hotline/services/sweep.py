"""The periodic sweep over open orders: warn before the due time, mark overdue and escalate
to the department head, and time out questions the citizen did not answer. Idempotent: each
step claims its order with a conditional UPDATE on the field it sets, so running the sweep
twice (or two sweeps at once) records each step once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.service import audited
from onestop.core.workdays import add_working_days
from onestop.hotline.enums import (
    CLOCK_STATES,
    ORDER_PART,
    PART_CLOCK_STATES,
    WORKORDER,
    OrderAction,
    OrderState,
)
from onestop.hotline.models import OrderPart, WorkOrder
from onestop.hotline.policies import RULES, Perm
from onestop.hotline.services.orders import _answer_move

# How long before the due time the department is warned.
WARN_BEFORE = timedelta(hours=4)
# Working days a question waits for the citizen before the clock runs again without them.
ANSWER_TIMEOUT_DAYS = 3

NOT_AUDITED = {
    "orders_sweep": "each order's step is its own audited transaction (_order_warn, ...)",
}


@dataclass
class SweepReport:
    warned: int = 0
    overdue: int = 0
    timed_out: int = 0
    parts_warned: int = 0
    parts_overdue: int = 0


@audited("hotline.order.warn", timeline=True, unless=lambda done: not done)
def _order_warn(*, actor: Actor | None, order_id: int, now: datetime) -> bool:
    if not WorkOrder.objects.filter(pk=order_id, warned_at__isnull=True).update(warned_at=now):
        return False
    order = WorkOrder.objects.get(pk=order_id)
    WORKORDER.record(order, action=OrderAction.WARN, actor=actor, at=now, context={"public": False})
    return True


@audited("hotline.order.overdue", "hotline.order.escalate", timeline=True, unless=lambda d: not d)
def _order_overdue(*, actor: Actor | None, order_id: int, now: datetime) -> bool:
    claimed = WorkOrder.objects.filter(pk=order_id, overdue_at__isnull=True).update(
        overdue_at=now, escalated_at=now
    )
    if not claimed:
        return False
    order = WorkOrder.objects.select_related("department__parent").get(pk=order_id)
    WORKORDER.record(
        order, action=OrderAction.OVERDUE, actor=actor, at=now, context={"public": False}
    )
    # The department head: the city department a district bureau answers to, or the
    # department's own leadership; its inbox lists escalated orders first.
    head = order.department.parent if order.department and order.department.parent else None
    WORKORDER.record(
        order,
        action=OrderAction.ESCALATE,
        actor=actor,
        at=now,
        reason=_("Overdue since %(due)s.")
        % {"due": timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M")}
        if order.due_at
        else "",
        detail={"to": head.code if head else (order.department.code if order.department else "")},
        context={"public": False},
    )
    return True


@audited("hotline.order.part_warn", timeline=True, unless=lambda done: not done)
def _part_warn(*, actor: Actor | None, part_id: int, now: datetime) -> bool:
    return _part_mark(actor, part_id, "warned_at", OrderAction.PART_WARN, now)


@audited("hotline.order.part_overdue", timeline=True, unless=lambda done: not done)
def _part_overdue(*, actor: Actor | None, part_id: int, now: datetime) -> bool:
    """A part past its own due time is marked and shown to the lead and the dispatchers; the
    order itself is overdue only by its own clock (decision 0038)."""
    return _part_mark(actor, part_id, "overdue_at", OrderAction.PART_OVERDUE, now)


def _part_mark(
    actor: Actor | None, part_id: int, field: str, action: OrderAction, now: datetime
) -> bool:
    """Stamp the part's `field` once, with its timeline row; False if already stamped, so a
    second sweep writes nothing."""
    if not OrderPart.objects.filter(pk=part_id, **{f"{field}__isnull": True}).update(
        **{field: now}
    ):
        return False
    part = OrderPart.objects.select_related("order").get(pk=part_id)
    ORDER_PART.record(
        part,
        action=action,
        actor=actor,
        at=now,
        context={"order_created_at": part.order.created_at},
    )
    return True


@audited("hotline.order.answer_timeout", timeline=True)
def _order_answer_timeout(*, actor: Actor | None, order_id: int, now: datetime) -> WorkOrder:
    order = WorkOrder.objects.select_for_update().get(pk=order_id)
    return _answer_move(
        order, actor=actor, answer=_("No answer within the time allowed."), now=now, timeout=True
    )


def orders_sweep(*, actor: Actor | None = None, now: datetime | None = None) -> SweepReport:
    """One pass of the sweep (run every few minutes by the worker)."""
    RULES.require(actor, Perm.SWEEP)
    now = now or timezone.now()
    report = SweepReport()
    running = WorkOrder.objects.filter(state__in=CLOCK_STATES, due_at__isnull=False)
    for order_id in running.filter(
        warned_at__isnull=True, due_at__gt=now, due_at__lte=now + WARN_BEFORE
    ).values_list("pk", flat=True):
        report.warned += _order_warn(actor=actor, order_id=order_id, now=now)
    for order_id in running.filter(overdue_at__isnull=True, due_at__lt=now).values_list(
        "pk", flat=True
    ):
        report.overdue += _order_overdue(actor=actor, order_id=order_id, now=now)
    parts = OrderPart.objects.filter(state__in=PART_CLOCK_STATES, due_at__isnull=False).exclude(
        order__state=OrderState.CLOSED
    )
    for part_id in parts.filter(
        warned_at__isnull=True, due_at__gt=now, due_at__lte=now + WARN_BEFORE
    ).values_list("pk", flat=True):
        report.parts_warned += _part_warn(actor=actor, part_id=part_id, now=now)
    for part_id in parts.filter(overdue_at__isnull=True, due_at__lt=now).values_list(
        "pk", flat=True
    ):
        report.parts_overdue += _part_overdue(actor=actor, part_id=part_id, now=now)
    today = timezone.localdate(now)
    waiting = WorkOrder.objects.filter(
        state=OrderState.AWAITING_CITIZEN, asked_at__isnull=False
    ).values_list("pk", "asked_at")
    for order_id, asked_at in waiting:
        if add_working_days(timezone.localdate(asked_at), ANSWER_TIMEOUT_DAYS) < today:
            _order_answer_timeout(actor=actor, order_id=order_id, now=now)
            report.timed_out += 1
    return report
