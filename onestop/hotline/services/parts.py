"""Multi-department orders (多部门协办): the lead department (主办) holds the order; the
dispatcher adds assisting departments (协办), each with its own part — what it must do and by
when. Each part moves through the ORDER_PART machine (enums), which writes the order's
timeline (internal entries, under the part's department) and the audit entry
`hotline.order.part_<action>` in the service's transaction.

    dispatched ──accept──▶ in_progress ──reply──▶ replied ──(order reopened)──▶ dispatched
        │    ╲                 │  │
        │     ╲──return────────┴──┼──▶ returned ──redispatch (another department)──▶ dispatched
        │                         │       │
        └────────withdraw─────────┴───────┴──▶ cancelled

The lead replies for the whole order only when no part is still open (services.orders,
`order_reply`): a returned part must first go elsewhere or be withdrawn (decision 0038).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import Department
from onestop.core.service import audited
from onestop.hotline import config_cache, selectors
from onestop.hotline.enums import (
    ORDER_PART,
    PART_PENDING_STATES,
    DueUnit,
    ErrorCode,
    OrderAction,
    OrderState,
    PartState,
)
from onestop.hotline.models import OrderPart, WorkOrder
from onestop.hotline.policies import Perm
from onestop.hotline.services.orders import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, text_clean
from onestop.identity.actors import StaffUser

# States of the order in which assisting departments may be added or sent again.
PART_ORDER_STATES = frozenset({OrderState.DISPATCHED, OrderState.IN_PROGRESS})

NOT_AUDITED = {
    "parts_reopen": "runs inside the return visit's service, which is audited",
}


def _context(order: WorkOrder) -> dict[str, Any]:
    return {"order_created_at": order.created_at}


def _assisting_department(order: WorkOrder, department_id: Any) -> Department:
    try:
        pk = int(department_id)
    except (TypeError, ValueError):
        pk = 0
    department = next(iter(Department.objects.filter(pk=pk, is_active=True).order_by()[:1]), None)
    if department is None:
        raise NotFound(ErrorCode.UNKNOWN_DEPARTMENT, _("There is no such department."))
    if department.pk == order.department_id:
        raise Conflict(
            ErrorCode.PART_EXISTS, _("The lead department cannot also assist on its own order.")
        )
    if order.parts.filter(department=department).exclude(state=PartState.CANCELLED).exists():
        raise Conflict(
            ErrorCode.PART_EXISTS,
            _("%(department)s already has a part of this order.") % {"department": department},
        )
    return department


def _part_due(order: WorkOrder, days: Any, now: datetime) -> tuple[int, str, datetime | None]:
    """The part's own limit and due time. Working days from now, never after the order's own
    due time (the lead needs the part's answer to reply); by default one working day before
    it. An urgent order's parts are due when the order is."""
    if order.limit_unit != DueUnit.WORKING_DAYS or order.due_at is None:
        return order.limit, order.limit_unit, order.due_at
    config = config_cache.current()
    if days in (None, ""):
        wanted = max(order.limit + order.extension_days - 1, 1)
        due = config.due_at(now, wanted, DueUnit.WORKING_DAYS)
        if due is None or due > order.due_at:
            return wanted, DueUnit.WORKING_DAYS, order.due_at
        return wanted, DueUnit.WORKING_DAYS, due
    try:
        wanted = int(days)
    except (TypeError, ValueError):
        wanted = 0
    due = config.due_at(now, wanted, DueUnit.WORKING_DAYS) if wanted >= 1 else None
    if due is None or due > order.due_at:
        raise DomainError(
            ErrorCode.INVALID_PART_DUE,
            _("A part is due in 1 or more working days, and no later than the order (%(due)s).")
            % {"due": timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M")},
        )
    return wanted, DueUnit.WORKING_DAYS, due


def _open_order(order: WorkOrder) -> None:
    if order.state not in PART_ORDER_STATES:
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION,
            _("Assisting departments work on an order only while it is being handled."),
        )


@audited("hotline.order.part_add", timeline=True)
def order_part_add(
    *,
    actor: StaffUser,
    order_id: int,
    department_id: Any,
    task: str,
    days: Any = None,
    now: datetime | None = None,
) -> OrderPart:
    """The dispatcher (or the agent at dispatch) adds an assisting department to an order
    being handled, with its part and its own deadline."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.DISPATCH, for_update=True)
    _open_order(order)
    department = _assisting_department(order, department_id)
    what = text_clean(task, field=_("The part"), limit=NOTE_MAX_LENGTH)
    limit, unit, due = _part_due(order, days, now)
    part = OrderPart(
        order=order,
        department=department,
        task=what,
        limit=limit,
        limit_unit=unit,
        dispatched_at=now,
        due_at=due,
        created_at=now,
    )
    try:
        with transaction.atomic():
            part.save(force_insert=True)
    except IntegrityError as exc:
        raise Conflict(
            ErrorCode.PART_EXISTS,
            _("%(department)s already has a part of this order.") % {"department": department},
        ) from exc
    ORDER_PART.record(
        part,
        action=OrderAction.PART_ADD,
        actor=actor,
        from_state="",
        at=now,
        reason=what,
        detail={"department": department.code, "due_at": due.isoformat() if due else None},
        context=_context(order),
    )
    return part


def _handled(actor: StaffUser, part_id: int) -> OrderPart:
    part = selectors.access_part(actor, part_id, Perm.HANDLE, for_update=True)
    if part.order.state == OrderState.CLOSED:
        raise Conflict(ErrorCode.ILLEGAL_TRANSITION, _("This order is closed."))
    return part


@audited("hotline.order.part_accept", timeline=True)
def part_accept(*, actor: StaffUser, part_id: int, now: datetime | None = None) -> OrderPart:
    """The assisting department takes its part on (签收)."""
    now = now or timezone.now()
    part = _handled(actor, part_id)
    return ORDER_PART.move(
        part,
        to=PartState.IN_PROGRESS,
        action=OrderAction.PART_ACCEPT,
        actor=actor,
        at=now,
        fields={"accepted_at": now},
        context=_context(part.order),
    )


@audited("hotline.order.part_return", timeline=True)
def part_return(
    *, actor: StaffUser, part_id: int, reason: str, now: datetime | None = None
) -> OrderPart:
    """The assisting department sends its part back (not theirs), with the reason: the
    dispatcher sends it to another department or withdraws it. Counted."""
    now = now or timezone.now()
    part = _handled(actor, part_id)
    why = text_clean(reason, field=_("The reason"), limit=NOTE_MAX_LENGTH)
    return ORDER_PART.move(
        part,
        to=PartState.RETURNED,
        action=OrderAction.PART_RETURN,
        actor=actor,
        at=now,
        fields={"return_reason": why, "return_count": part.return_count + 1, "due_at": None},
        reason=why,
        detail={"department": part.department.code},
        context=_context(part.order),
    )


@audited("hotline.order.part_reply", timeline=True)
def part_reply(
    *, actor: StaffUser, part_id: int, reply: str, now: datetime | None = None
) -> OrderPart:
    """The assisting department says what it did for its part; the lead compiles the
    order's reply from the parts."""
    now = now or timezone.now()
    part = _handled(actor, part_id)
    text = text_clean(reply, field=_("The reply"), limit=TEXT_MAX_LENGTH)
    return ORDER_PART.move(
        part,
        to=PartState.REPLIED,
        action=OrderAction.PART_REPLY,
        actor=actor,
        at=now,
        fields={
            "reply": text,
            "replied_at": now,
            "replied_on_time": part.due_at is None or now <= part.due_at,
        },
        reason=text,
        context=_context(part.order),
    )


def _dispatched(actor: StaffUser, part_id: int) -> OrderPart:
    part = selectors.access_part(actor, part_id, Perm.DISPATCH, for_update=True)
    _open_order(part.order)
    return part


@audited("hotline.order.part_redispatch", timeline=True)
def part_redispatch(
    *,
    actor: StaffUser,
    part_id: int,
    department_id: Any,
    days: Any = None,
    now: datetime | None = None,
) -> OrderPart:
    """The dispatcher sends a returned part to another department, with a new deadline."""
    now = now or timezone.now()
    part = _dispatched(actor, part_id)
    ORDER_PART.check(part, PartState.DISPATCHED)
    order = part.order
    department = _assisting_department(order, department_id)
    limit, unit, due = _part_due(order, days, now)
    return ORDER_PART.move(
        part,
        to=PartState.DISPATCHED,
        action=OrderAction.PART_REDISPATCH,
        actor=actor,
        at=now,
        fields={
            "department": department,
            "limit": limit,
            "limit_unit": unit,
            "dispatched_at": now,
            "due_at": due,
            "accepted_at": None,
            "warned_at": None,
            "overdue_at": None,
        },
        detail={"department": department.code},
        context=_context(order),
    )


@audited("hotline.order.part_cancel", timeline=True)
def part_cancel(
    *, actor: StaffUser, part_id: int, reason: str, now: datetime | None = None
) -> OrderPart:
    """The dispatcher withdraws a part (no longer needed, or returned and nobody else's):
    the lead's reply no longer waits for it."""
    now = now or timezone.now()
    part = _dispatched(actor, part_id)
    why = text_clean(reason, field=_("The reason"), limit=NOTE_MAX_LENGTH)
    return ORDER_PART.move(
        part,
        to=PartState.CANCELLED,
        action=OrderAction.PART_CANCEL,
        actor=actor,
        at=now,
        fields={"due_at": None},
        reason=why,
        context=_context(part.order),
    )


def parts_reopen(order: WorkOrder, *, actor: Any, now: datetime) -> None:
    """The return visit reopened the order: every part that replied is handled again, with a
    new deadline (the order's own is new too). Runs in the return visit's transaction."""
    parts = OrderPart.objects.select_for_update().filter(order=order, state=PartState.REPLIED)
    for part in parts:
        part.order = order
        limit, unit, due = _part_due(order, None, now)
        ORDER_PART.move(
            part,
            to=PartState.DISPATCHED,
            action=OrderAction.PART_REOPEN,
            actor=actor,
            at=now,
            fields={
                "limit": limit,
                "limit_unit": unit,
                "dispatched_at": now,
                "due_at": due,
                "accepted_at": None,
                "replied_on_time": None,
                "warned_at": None,
                "overdue_at": None,
            },
            context=_context(order),
        )


def parts_pending(order: WorkOrder) -> list[OrderPart]:
    """The parts the lead's reply still waits for."""
    return list(
        OrderPart.objects.filter(order=order, state__in=PART_PENDING_STATES).select_related(
            "department"
        )
    )
