"""Reads of the hotline, each scoped to the actor: an order outside an actor's reach is "not
found", so numbers cannot be probed. The department's reads never carry a report's
informant (models.WorkOrder.contact_for_department)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import NotFound
from onestop.core.models import Department, Region
from onestop.core.pii import PiiKind
from onestop.hotline import config_cache
from onestop.hotline.enums import (
    CLOCK_STATES,
    OPEN_STATES,
    ErrorCode,
    OrderState,
    PartState,
)
from onestop.hotline.models import (
    Category,
    Line,
    OrderAttachment,
    OrderPart,
    WorkOrder,
    WorkOrderEvent,
)
from onestop.hotline.policies import RULES, Perm

ORDER_RELATED = ("category", "category__parent__parent", "region", "department", "line")


def _one(rows: QuerySet[Any]) -> Any:
    """The first row of a lookup by a unique key, without the ORDER BY `first()` adds."""
    return next(iter(rows.order_by()[:1]), None)


def _not_found() -> NotFound:
    return NotFound(ErrorCode.ORDER_NOT_FOUND, _("There is no such work order."))


def orders_visible(actor: Actor | None, perm: str = Perm.READ) -> QuerySet[WorkOrder]:
    """The orders an actor may read with `perm`: agents and dispatchers by region, handlers by
    department."""
    coverage = RULES.coverage(actor, perm)
    return WorkOrder.objects.filter(
        coverage.q(department="department_id", region="region_code")
    ).select_related(*ORDER_RELATED)


def access_order(
    actor: Actor | None,
    order_id: int,
    perm: str = Perm.READ,
    *,
    for_update: bool = False,
    related: tuple[str, ...] = ORDER_RELATED,
    annotate: dict[str, Any] | None = None,
) -> WorkOrder:
    """The order, if `actor` holds `perm` on it; "not found" otherwise. `related`: the
    relations read with it (the others load when first used); `annotate`: values read in
    the same query."""
    rows = WorkOrder.objects.select_related(*related)
    if annotate:
        rows = rows.annotate(**annotate)
    if for_update:
        rows = rows.select_for_update(of=("self",))
    order = _one(rows.filter(pk=order_id))
    if order is None or not RULES.can(actor, perm, order.place):
        raise _not_found()
    return order


PART_RELATED = ("department", "order", "order__category", "order__region", "order__department")


def access_part(
    actor: Actor | None, part_id: int, perm: str = Perm.READ, *, for_update: bool = False
) -> OrderPart:
    """An assisting department's part, if `actor` holds `perm` on it: its own department's
    handlers for HANDLE (the lead's do not handle another department's part), the order's
    agents and dispatchers by region for DISPATCH; for READ, the part's department and the
    hotline's staff of the order's region, never the lead department (it reads the parts on
    its order's page). "Not found" otherwise."""
    rows = OrderPart.objects.select_related(*PART_RELATED)
    if for_update:
        rows = rows.select_for_update(of=("self",))
    part = _one(rows.filter(pk=part_id))
    if part is None:
        raise NotFound(ErrorCode.PART_NOT_FOUND, _("There is no such part of a work order."))
    place = part.place if perm in (Perm.HANDLE, Perm.READ) else part.order.place
    if not RULES.can(actor, perm, place):
        raise NotFound(ErrorCode.PART_NOT_FOUND, _("There is no such part of a work order."))
    return part


def order_parts(order: WorkOrder) -> list[OrderPart]:
    """The assisting departments' parts of an order, for its lead and the hotline's staff."""
    return list(order.parts.select_related("department"))


def department_parts(actor: Actor | None) -> QuerySet[OrderPart]:
    """The parts the actor's departments assist with, of orders not closed, by due time."""
    return (
        OrderPart.objects.filter(RULES.coverage(actor, Perm.HANDLE).q(department="department_id"))
        .filter(
            state__in=[PartState.DISPATCHED, PartState.IN_PROGRESS, PartState.REPLIED],
        )
        .exclude(order__state=OrderState.CLOSED)
        .select_related(*PART_RELATED)
        .order_by("due_at", "id")
    )


def department_id_for(code: str) -> int | None:
    """An active department's id by its code (the API names departments by code)."""
    return next(
        iter(
            Department.objects.filter(code=str(code or "")[:40], is_active=True)
            .order_by()
            .values_list("pk", flat=True)[:1]
        ),
        None,
    )


def order_attachments(order: WorkOrder) -> list[OrderAttachment]:
    """What the department sees of an order's files: never who uploaded them."""
    return list(order.attachments.only("id", "order_id", "content_type", "size", "url", "file"))


def access_attachment(actor: Actor | None, attachment_id: int) -> OrderAttachment:
    """A file of an order the actor may read, or of an order one of its departments assists
    with; "not found" otherwise."""
    attachment = _one(
        OrderAttachment.objects.select_related("order").filter(pk=attachment_id, url="")
    )
    if attachment is not None:
        order = attachment.order
        if RULES.can(actor, Perm.READ, order.place) or any(
            RULES.can(actor, Perm.HANDLE, part.place)
            for part in order.parts.exclude(state=PartState.CANCELLED).select_related("order")
        ):
            return attachment
    raise NotFound(ErrorCode.ATTACHMENT_NOT_FOUND, _("There is no such file."))


def order_by_number(number: str) -> WorkOrder | None:
    return WorkOrder.objects.select_related(*ORDER_RELATED).filter(number=number).first()


def order_for_citizen(number: str, phone: str, *, for_update: bool = False) -> WorkOrder:
    """The order a citizen tracks by its number and the phone they gave; the same answer for
    a wrong number and a wrong phone."""
    number = (number or "").strip()[:20]
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not number or not digits:
        raise _not_found()
    rows = WorkOrder.objects.select_related(*ORDER_RELATED)
    if for_update:
        rows = rows.select_for_update(of=("self",))
    order = rows.filter(
        number=number, contact_phone_index=pii.blind_index(PiiKind.PHONE, digits)
    ).first()
    if order is None:
        raise _not_found()
    return order


def order_timeline(order: WorkOrder, *, public_only: bool = False) -> list[WorkOrderEvent]:
    events = order.events.select_related("actor", "department")
    if public_only:
        events = events.filter(public=True)
    return list(events)


# --- Configuration ---------------------------------------------------------------------------


def line_list(*, active_only: bool = True) -> list[Line]:
    lines = Line.objects.select_related("department")
    if active_only:
        lines = lines.filter(is_active=True)
    return list(lines)


def category_get(
    code: str, *, leaf: bool = True, config: config_cache.Snapshot | None = None
) -> Category:
    code = str(code or "").strip()[:12]
    category = (config or config_cache.current()).category(code) or _one(
        Category.objects.select_related("parent__parent").filter(code=code, is_active=True)
    )
    if category is None or (leaf and category.level != 3):
        raise NotFound(
            ErrorCode.UNKNOWN_CATEGORY,
            _("There is no request category %(code)s.") % {"code": str(code)[:12]},
        )
    return category


def category_leaves() -> QuerySet[Category]:
    return Category.objects.filter(level=3, is_active=True).select_related("parent__parent")


def category_path(category: Category) -> list[Category]:
    path = [category]
    while path[0].parent_id is not None and path[0].parent is not None:
        path.insert(0, path[0].parent)
    return path


def _region_prefixes(code: str) -> list[str]:
    return [code[:n] for n in (4, 6, 9, 12) if n <= len(code)]


def route_department(category: Category, region: Region) -> Department | None:
    """The department the routing table sends an order of `category` at `region` to: the
    most specific class first, then the most specific region; a rule for a city department
    with `to_district_bureau` sends a district's order to that district's bureau.

    Read from the configuration snapshot (`config_cache`): no query while the routing
    table, the departments and the time limits stay as they are."""
    return config_cache.current().route(category.code, region.code)


def due_limit(kind: str, urgency: str) -> tuple[int, str]:
    return config_cache.current().due_limit(kind, urgency)


# --- Lists -----------------------------------------------------------------------------------


def department_inbox(actor: Actor | None, *, include_closed: bool = False) -> QuerySet[WorkOrder]:
    """The orders of the actor's departments, by due time (soonest first)."""
    rows = WorkOrder.objects.filter(
        RULES.coverage(actor, Perm.HANDLE).q(department="department_id")
    ).select_related(*ORDER_RELATED)
    if not include_closed:
        rows = rows.filter(state__in=OPEN_STATES - {OrderState.NEW, OrderState.RETURNED})
    return rows.order_by("due_at", "id")


def dispatch_queue(actor: Actor | None) -> QuerySet[WorkOrder]:
    """Orders waiting for a dispatcher: new ones not yet sent and returned ones."""
    return (
        orders_visible(actor, Perm.DISPATCH)
        .filter(state__in=[OrderState.NEW, OrderState.RETURNED])
        .order_by("created_at", "id")
    )


def pending_extensions(actor: Actor | None) -> QuerySet[WorkOrder]:
    return orders_visible(actor, Perm.SUPERVISE).filter(extension_requested_days__gt=0)


def far_overdue(actor: Actor | None, now: datetime | None = None) -> QuerySet[WorkOrder]:
    """Open orders more than three times over their limit, listed apart."""
    now = now or timezone.now()
    return (
        orders_visible(actor, Perm.SUPERVISE)
        .filter(state__in=CLOCK_STATES, far_due_at__lt=now)
        .order_by("far_due_at")
    )


def caller_history(actor: Actor | None, phone: str, *, limit: int = 20) -> list[WorkOrder]:
    """Earlier orders from the same phone number (by its blind index), newest first."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not digits:
        return []
    index = pii.blind_index(PiiKind.PHONE, digits)
    return list(orders_visible(actor, Perm.TAKE).filter(contact_phone_index=index)[:limit])


def order_contact(order: WorkOrder, actor: Actor | None) -> dict[str, Any]:
    """The caller as this actor may see them: masked for the hotline's staff, as the
    department may see them (nothing, for a report) for everyone else."""
    if RULES.can(actor, Perm.TAKE, order.place) or RULES.can(actor, Perm.DISPATCH, order.place):
        return {
            "name": order.contact_name,
            "phone": order.contact_phone_masked,
            "anonymous": order.is_anonymous,
        }
    return order.contact_for_department()


def _bigrams(text: str) -> set[str]:
    compact = "".join(ch for ch in text if not ch.isspace())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: works for Chinese without segmentation."""
    left, right = _bigrams(a), _bigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


SIMILAR_WINDOW_DAYS = 14
SIMILAR_THRESHOLD = 0.12


def similar_open_orders(
    actor: Actor | None,
    *,
    text: str,
    region_code: str,
    now: datetime | None = None,
    limit: int = 5,
) -> list[tuple[WorkOrder, float]]:
    """Open orders nearby (the same street, or district when no street is known) from the
    last two weeks whose text resembles `text`: the duplicate suggestion of the console."""
    now = now or timezone.now()
    area = region_code[:9] if len(region_code) >= 9 else region_code[:6]
    if not area or not text:
        return []
    candidates = orders_visible(actor, Perm.TAKE).filter(
        state__in=OPEN_STATES,
        region_code__startswith=area,
        created_at__gte=now - timedelta(days=SIMILAR_WINDOW_DAYS),
    )[:500]
    scored = [(order, similarity(text, order.text)) for order in candidates]
    scored = [pair for pair in scored if pair[1] >= SIMILAR_THRESHOLD]
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
