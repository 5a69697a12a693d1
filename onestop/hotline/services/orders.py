"""Every write of a work order (工单), from registration to closing, each through the WORKORDER
machine (enums), which checks the move, claims the row, and writes the order's timeline and
the audit entry `hotline.order.<action>` in the service's transaction.

    new ──dispatch──▶ dispatched ──accept──▶ in_progress ──reply──▶ replied ──visit──▶ closed
     │                  │   ▲                 │     ▲                  │
     │ consultation     │   └──re-dispatch─┐  ask  answer/timeout     └─unsatisfied: reopen
     ▼ answered         ▼                  │  ▼     │                     (dispatched again)
    closed            returned ────────────┘ awaiting_citizen
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.ids import is_valid_uscc, normalize_uscc
from onestop.core.models import Department, Region
from onestop.core.service import audited
from onestop.hotline import clock, config_cache, selectors
from onestop.hotline.enums import (
    WORKORDER,
    Channel,
    DueUnit,
    ErrorCode,
    OrderAction,
    OrderKind,
    OrderState,
    Satisfaction,
    Urgency,
)
from onestop.hotline.models import Line, WorkOrder
from onestop.hotline.policies import RULES, Perm
from onestop.hotline.services.attachments import (
    Upload,
    attachments_check,
    attachments_read,
    attachments_store,
    order_attach_on_create,
)
from onestop.identity.actors import Account, StaffUser

TEXT_MAX_LENGTH = 5000
TITLE_MAX_LENGTH = 120
NOTE_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 60
ADDRESS_MAX_LENGTH = 200
# The most working days a department may add to an order's limit, all extensions together.
EXTENSION_MAX_DAYS = 10
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
CITY_PREFIX = "4401"


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") and c not in "\n\r\t" for c in text)


def text_clean(
    value: Any, *, field: str, required: bool = True, limit: int = TEXT_MAX_LENGTH
) -> str:
    """Free text as given (stored as text, never rendered as HTML), trimmed; refused when
    empty (if required), too long, or holding control characters."""
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(
            ErrorCode.INVALID_TEXT, _("%(field)s is empty.") % {"field": field}, field=field
        )
    if len(text) > limit:
        raise DomainError(
            ErrorCode.INVALID_TEXT,
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": limit},
            field=field,
        )
    if _has_control(text):
        raise DomainError(
            ErrorCode.INVALID_TEXT,
            _("%(field)s holds control characters.") % {"field": field},
            field=field,
        )
    return text


def phone_clean(value: Any) -> str:
    """A mainland mobile (13800138000) or a landline with its area code (02083838383)."""
    digits = re.sub(r"[\s\-()]", "", _fold(str(value or "")))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not (MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits)):
        raise DomainError(
            ErrorCode.INVALID_PHONE,
            _(
                "This is not a phone number: give a mobile number (11 digits from 13 to 19) "
                "or a landline with its area code."
            ),
        )
    return digits


def _choice(value: Any, choices: type[Any], code: ErrorCode, what: str) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        raise DomainError(
            code,
            _("Unknown %(what)s: %(value)s.") % {"what": what, "value": text[:20]},
        )
    return text


def region_resolve(code: Any, config: config_cache.Snapshot | None = None) -> Region:
    text = str(code or "").strip()[:12]
    region = None
    if text.startswith(CITY_PREFIX):
        region = (config or config_cache.current()).region(text) or next(
            iter(Region.objects.filter(code=text).order_by()[:1]), None
        )
    if region is None or len(text) < 6:
        raise NotFound(
            ErrorCode.UNKNOWN_REGION,
            _("There is no district, street or community %(code)s in the city.")
            % {"code": text or "—"},
        )
    return region


def _coordinate(value: Any, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise DomainError(ErrorCode.INVALID_LOCATION, _("The point's coordinates are not valid."))
    return number


@dataclass(frozen=True)
class OrderInput:
    """What a request says, from whichever channel: checked by `order_create`."""

    kind: str
    category_code: str
    region_code: str
    text: str
    title: str = ""
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    contact_name: str = ""
    contact_phone: str = ""
    is_anonymous: bool = False
    urgency: str = Urgency.NORMAL
    line_code: str = ""
    service_item_code: str = ""
    case_id: int | None = None
    enterprise_uscc: str = ""


def _fingerprint(order: WorkOrder) -> tuple[Any, ...]:
    return (order.kind, order.category_id, order.region_code, order.text)


def order_summary_for_create(order: WorkOrder) -> dict[str, Any]:
    return {"channel": order.channel, "urgency": order.urgency, "anonymous": order.is_anonymous}


@audited("hotline.order", timeline=True, unless=lambda order: getattr(order, "replayed", False))
def order_create(
    *,
    actor: Account | None,
    channel: str,
    request: OrderInput,
    idempotency_key: str = "",
    uploads: list[Upload] | None = None,
    links: list[str] | None = None,
    now: datetime | None = None,
) -> WorkOrder:
    """Register a request as a work order. On the phone channel an agent records it (their
    region); the web, WeChat, the app and Open311 take requests from citizens and partners.
    A repeated submission with the same idempotency key returns the first order and writes
    nothing; the same key with a different request is a conflict. `uploads` (photos, PDFs)
    and `links` (an Open311 `media_url`) are checked before anything is written."""
    now = now or timezone.now()
    attachments_check(uploads or [], links or [])
    channel = _choice(channel, Channel, ErrorCode.INVALID_CHANNEL, _("channel"))
    kind = _choice(request.kind, OrderKind, ErrorCode.INVALID_KIND, _("kind of request"))
    urgency = _choice(
        request.urgency or Urgency.NORMAL, Urgency, ErrorCode.INVALID_URGENCY, _("urgency")
    )
    text = text_clean(request.text, field=_("The description"))
    # The configuration stamp and, on PostgreSQL, the order's id in one round trip: its
    # number is known before the insert.
    token, reserved_id = config_cache.token_and_next_id(WorkOrder)
    title = (
        text_clean(request.title, field=_("The title"), required=False, limit=TITLE_MAX_LENGTH)
        or text.splitlines()[0][:40]
    )
    config = config_cache.current(token)
    category = selectors.category_get(request.category_code, config=config)
    region = region_resolve(request.region_code, config)
    if channel == Channel.PHONE:
        RULES.require(actor, Perm.TAKE, WorkOrder(region_code=region.code).place)
    address = text_clean(
        request.address, field=_("The address"), required=False, limit=ADDRESS_MAX_LENGTH
    )
    latitude = _coordinate(request.latitude, -90, 90)
    longitude = _coordinate(request.longitude, -180, 180)
    anonymous = bool(request.is_anonymous)
    name = text_clean(
        request.contact_name, field=_("The name"), required=False, limit=NAME_MAX_LENGTH
    )
    phone = phone_clean(request.contact_phone) if request.contact_phone else ""
    if not phone and not anonymous:
        raise DomainError(
            ErrorCode.INVALID_PHONE,
            _("Give a phone number to be told the answer, or make the request anonymous."),
        )
    line = None
    if request.line_code:
        line = Line.objects.filter(code=request.line_code, is_active=True).first()
        if line is None:
            raise NotFound(ErrorCode.UNKNOWN_LINE, _("There is no such hotline line."))
    uscc = ""
    if request.enterprise_uscc:
        uscc = normalize_uscc(request.enterprise_uscc)
        if not is_valid_uscc(uscc):
            raise DomainError(ErrorCode.INVALID_USCC, _("The credit code is not valid."))
    key = str(idempotency_key or "").strip()[:80] or None
    order = WorkOrder(
        pk=reserved_id,
        number=(
            f"{timezone.localtime(now):%Y%m%d}{reserved_id:08d}"
            if reserved_id
            else f"T{uuid4().hex[:19]}"
        ),
        kind=kind,
        channel=channel,
        urgency=urgency,
        line=line,
        category=category,
        title=title,
        text=text,
        region=region,
        region_code=region.code,
        address=address,
        latitude=latitude,
        longitude=longitude,
        is_anonymous=anonymous,
        contact_name="" if anonymous else name,
        person_id=getattr(actor, "person_id", None) if not anonymous else None,
        service_item_code=str(request.service_item_code or "")[:64],
        case_id=request.case_id,
        enterprise_uscc=uscc,
        agent=actor if isinstance(actor, StaffUser) else None,
        idempotency_key=key,
        created_at=now,
    )
    # An anonymous caller's number is still kept (sealed) for the return visit, unless they
    # gave none; the department never sees it either way.
    pii.assign(order, "contact_phone", phone or None)
    inserted = _insert(order, key, numbered=reserved_id is not None, now=now)
    if inserted is not order:
        return inserted
    WORKORDER.record(
        order,
        action=OrderAction.CREATE,
        actor=actor,
        from_state="",
        at=now,
        detail=order_summary_for_create(order),
    )
    order_attach_on_create(
        order, actor=actor, uploads=uploads or [], links=links or [], channel=channel, now=now
    )
    return order


def _insert(order: WorkOrder, key: str | None, *, numbered: bool, now: datetime) -> WorkOrder:
    """Insert the order; with an idempotency key already used, the first order (replayed)."""
    if key is None:
        # Nothing unique can clash (the number is random until the row has its id, or made
        # of the id the sequence gave): no
        # savepoint around the insert.
        order.save(force_insert=True)
    else:
        first = WorkOrder.objects.filter(idempotency_key=key).first()
        if first is not None:
            return _replay(first, order)
        try:
            with transaction.atomic():
                order.save(force_insert=True)
        except IntegrityError:
            first = WorkOrder.objects.filter(idempotency_key=key).first()
            if first is None:
                raise
            return _replay(first, order)
    if not numbered:
        order.number = f"{timezone.localtime(now):%Y%m%d}{order.pk:08d}"
        WorkOrder.objects.filter(pk=order.pk).update(number=order.number)
    return order


def _replay(first: WorkOrder, attempt: WorkOrder) -> WorkOrder:
    if _fingerprint(first) != _fingerprint(attempt):
        raise Conflict(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            _("This idempotency key was used for a different request."),
        )
    first.replayed = True  # type: ignore[attr-defined]
    return first


def _clock_fields(
    order: WorkOrder, now: datetime, config: config_cache.Snapshot | None = None
) -> dict[str, Any]:
    config = config or config_cache.current()
    limit, unit = config.due_limit(order.kind, order.urgency)
    due = config.due_at(now, limit, unit)
    return {
        "limit": limit,
        "limit_unit": unit,
        "clock_started_at": now,
        "clock_pauses": [],
        "due_at": due,
        "far_due_at": clock.far_due_at(now, due),
        "extension_days": 0,
        "extension_requested_days": 0,
        "extension_reason": "",
        "warned_at": None,
        "overdue_at": None,
        "escalated_at": None,
        "dispatched_at": now,
    }


def _department_resolve(
    order: WorkOrder, department_id: int | None, config: config_cache.Snapshot
) -> Department:
    if department_id is not None:
        department = next(
            iter(Department.objects.filter(pk=department_id, is_active=True).order_by()[:1]), None
        )
        if department is None:
            raise NotFound(ErrorCode.UNKNOWN_DEPARTMENT, _("There is no such department."))
        return department
    routed = config.route(order.category.code, order.region_code)
    if routed is None:
        raise DomainError(
            ErrorCode.NO_ROUTE,
            _("The routing table has no department for %(category)s here: choose one.")
            % {"category": order.category.label},
        )
    return routed


@audited("hotline.order.dispatch", timeline=True)
def order_dispatch(
    *,
    actor: StaffUser | None,
    order_id: int,
    department_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> WorkOrder:
    """Send a new or returned order to a department: the one the routing table names for its
    class and region, unless another is chosen. Starts the department's clock."""
    now = now or timezone.now()
    # The configuration stamp is read with the locked order: one round trip fewer.
    order = selectors.access_order(
        actor,
        order_id,
        Perm.DISPATCH,
        for_update=True,
        related=("category",),
        annotate={"config_token": config_cache.token_expression()},
    )
    config = config_cache.current(getattr(order, "config_token", None) or "")
    department = _department_resolve(order, department_id, config)
    return WORKORDER.move(
        order,
        to=OrderState.DISPATCHED,
        action=OrderAction.DISPATCH,
        actor=actor,
        at=now,
        fields={"department": department, **_clock_fields(order, now, config)},
        reason=text_clean(note, field=_("The note"), required=False, limit=NOTE_MAX_LENGTH),
        detail={"department": department.code},
    )


@audited("hotline.order.consultation_answer", timeline=True)
def order_consultation_answer(
    *, actor: StaffUser, order_id: int, answer: str, now: datetime | None = None
) -> WorkOrder:
    """The agent answers a consultation during the call and closes it: resolved at first
    contact."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.TAKE, for_update=True)
    if order.kind != OrderKind.CONSULTATION:
        raise Conflict(
            ErrorCode.NOT_CONSULTATION, _("Only a consultation is answered during the call.")
        )
    text = text_clean(answer, field=_("The answer"), limit=NOTE_MAX_LENGTH)
    return WORKORDER.move(
        order,
        to=OrderState.CLOSED,
        action=OrderAction.CONSULTATION_ANSWER,
        actor=actor,
        at=now,
        fields={
            "reply": text,
            "replied_at": now,
            "closed_at": now,
            "resolved": True,
            "first_contact_resolution": True,
        },
        reason=text,
    )


def _handled(actor: StaffUser, order_id: int) -> WorkOrder:
    return selectors.access_order(actor, order_id, Perm.HANDLE, for_update=True)


@audited("hotline.order.accept", timeline=True)
def order_accept(*, actor: StaffUser, order_id: int, now: datetime | None = None) -> WorkOrder:
    """The department takes the order on (签收). Its clock has run since dispatch."""
    now = now or timezone.now()
    order = _handled(actor, order_id)
    return WORKORDER.move(
        order,
        to=OrderState.IN_PROGRESS,
        action=OrderAction.ACCEPT,
        actor=actor,
        at=now,
        fields={"accepted_at": now},
    )


@audited("hotline.order.return", timeline=True)
def order_return(
    *, actor: StaffUser, order_id: int, reason: str, now: datetime | None = None
) -> WorkOrder:
    """The department sends the order back (退单): not theirs, with the reason. It goes back
    to the dispatchers, and the return is counted."""
    now = now or timezone.now()
    order = _handled(actor, order_id)
    why = text_clean(reason, field=_("The reason"), limit=NOTE_MAX_LENGTH)
    returned_by = order.department.code if order.department else ""
    return WORKORDER.move(
        order,
        to=OrderState.RETURNED,
        action=OrderAction.RETURN,
        actor=actor,
        at=now,
        fields={
            "department": None,
            "return_count": order.return_count + 1,
            "due_at": None,
            "far_due_at": None,
        },
        reason=why,
        detail={"department": returned_by},
    )


@audited("hotline.order.extension_request", timeline=True)
def order_extension_request(
    *, actor: StaffUser, order_id: int, days: int, reason: str, now: datetime | None = None
) -> WorkOrder:
    """The department asks for more working days (延期), with a reason; a dispatcher decides.
    All extensions of an order together stay within EXTENSION_MAX_DAYS."""
    now = now or timezone.now()
    order = _handled(actor, order_id)
    if order.state not in (OrderState.DISPATCHED, OrderState.IN_PROGRESS):
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION, _("Only an order being handled can be extended.")
        )
    if order.limit_unit != DueUnit.WORKING_DAYS:
        raise DomainError(
            ErrorCode.INVALID_EXTENSION, _("An urgent order's limit in hours is not extended.")
        )
    if order.extension_requested_days:
        raise Conflict(ErrorCode.EXTENSION_PENDING, _("An extension is already waiting."))
    try:
        wanted = int(days)
    except (TypeError, ValueError):
        wanted = 0
    left = EXTENSION_MAX_DAYS - order.extension_days
    if not 1 <= wanted <= left:
        raise DomainError(
            ErrorCode.INVALID_EXTENSION,
            _("An extension is 1 to %(left)d working days (at most %(max)d in all).")
            % {"left": max(left, 0), "max": EXTENSION_MAX_DAYS},
        )
    why = text_clean(reason, field=_("The reason"), limit=NOTE_MAX_LENGTH)
    WorkOrder.objects.filter(pk=order.pk).update(
        extension_requested_days=wanted, extension_reason=why
    )
    order.extension_requested_days, order.extension_reason = wanted, why
    WORKORDER.record(
        order,
        action=OrderAction.EXTENSION_REQUEST,
        actor=actor,
        at=now,
        reason=why,
        detail={"days": wanted},
        context={"public": False},
    )
    return order


@audited("hotline.order", timeline=True)
def order_extension_decide(
    *, actor: StaffUser, order_id: int, approve: bool, note: str = "", now: datetime | None = None
) -> WorkOrder:
    """A dispatcher approves (the limit grows, the due time moves) or refuses the extension."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.SUPERVISE, for_update=True)
    days = order.extension_requested_days
    if not days:
        raise Conflict(ErrorCode.NO_EXTENSION_PENDING, _("No extension is waiting."))
    fields: dict[str, Any] = {"extension_requested_days": 0}
    if approve:
        limit = order.limit + days
        due = clock.due_at(
            order.clock_started_at or now, limit, order.limit_unit, order.clock_pauses
        )
        fields.update(
            limit=limit,
            extension_days=order.extension_days + days,
            due_at=due,
            far_due_at=clock.far_due_at(order.clock_started_at or now, due),
        )
        if due is not None and due > now:
            fields.update(warned_at=None, overdue_at=None)
    WorkOrder.objects.filter(pk=order.pk).update(**fields)
    for name, value in fields.items():
        setattr(order, name, value)
    WORKORDER.record(
        order,
        action=OrderAction.EXTENSION_APPROVE if approve else OrderAction.EXTENSION_REJECT,
        actor=actor,
        at=now,
        reason=text_clean(note, field=_("The note"), required=False, limit=NOTE_MAX_LENGTH),
        detail={"days": days},
        context={"public": bool(approve)},
    )
    return order


@audited("hotline.order.ask", timeline=True)
def order_ask(
    *, actor: StaffUser, order_id: int, question: str, now: datetime | None = None
) -> WorkOrder:
    """The department asks the citizen a question; its clock stops until the answer (or the
    sweep's time-out)."""
    now = now or timezone.now()
    order = _handled(actor, order_id)
    text = text_clean(question, field=_("The question"), limit=NOTE_MAX_LENGTH)
    return WORKORDER.move(
        order,
        to=OrderState.AWAITING_CITIZEN,
        action=OrderAction.ASK,
        actor=actor,
        at=now,
        fields={
            "question": text,
            "asked_at": now,
            "clock_pauses": clock.pause(order.clock_pauses, now),
            "due_at": None,
        },
        reason=text,
    )


def _resume_fields(order: WorkOrder, now: datetime) -> dict[str, Any]:
    pauses = clock.resume(order.clock_pauses, now)
    started = order.clock_started_at or now
    due = clock.due_at(started, order.limit, order.limit_unit, pauses)
    return {
        "clock_pauses": pauses,
        "due_at": due,
        "far_due_at": clock.far_due_at(started, due),
        "question": "",
    }


def _answer_move(
    order: WorkOrder, *, actor: Actor | None, answer: str, now: datetime, timeout: bool = False
) -> WorkOrder:
    return WORKORDER.move(
        order,
        to=OrderState.IN_PROGRESS,
        action=OrderAction.ANSWER_TIMEOUT if timeout else OrderAction.ANSWER,
        actor=actor,
        at=now,
        fields=_resume_fields(order, now),
        reason=answer,
    )


@audited("hotline.order.answer", timeline=True)
def order_answer(
    *, actor: Account | None, number: str, phone: str, answer: str, now: datetime | None = None
) -> WorkOrder:
    """The citizen answers the department's question, proving the order is theirs by its
    number and their phone. The clock runs again."""
    now = now or timezone.now()
    order = selectors.order_for_citizen(number, phone, for_update=True)
    text = text_clean(answer, field=_("The answer"), limit=NOTE_MAX_LENGTH)
    return _answer_move(order, actor=actor, answer=text, now=now)


@audited("hotline.order", timeline=True)
def order_add_information(
    *,
    actor: Account | None,
    number: str,
    phone: str,
    text: str,
    uploads: list[Upload] | None = None,
    channel: str = Channel.WEB,
    now: datetime | None = None,
) -> WorkOrder:
    """The citizen adds to an open order (a detail, a correction), with photos or PDFs if
    they like; with files the text may be empty. All is checked before anything is kept."""
    now = now or timezone.now()
    order = selectors.order_for_citizen(number, phone, for_update=True)
    if order.state == OrderState.CLOSED:
        raise Conflict(ErrorCode.ILLEGAL_TRANSITION, _("This order is closed."))
    added = text_clean(
        text, field=_("The information"), required=not uploads, limit=NOTE_MAX_LENGTH
    )
    checked = attachments_read(order, uploads or [])
    if added:
        WORKORDER.record(
            order, action=OrderAction.ADD_INFORMATION, actor=actor, at=now, reason=added
        )
    if checked:
        attachments_store(order, checked, actor=actor, channel=channel, now=now)
    return order


def _parts_replied(order: WorkOrder) -> None:
    """The lead replies for the whole order once every assisting department's part has
    replied or been withdrawn (decision 0038)."""
    # Imported here: the parts' services build on this module.
    from onestop.hotline.services.parts import parts_pending

    if order.state != OrderState.IN_PROGRESS:
        return  # the machine refuses the move with its own message
    pending = parts_pending(order)
    if pending:
        raise Conflict(
            ErrorCode.PARTS_PENDING,
            _("The assisting departments have not all replied yet: %(departments)s.")
            % {"departments": "、".join(part.department.name for part in pending)},
        )


@audited("hotline.order.reply", timeline=True)
def order_reply(
    *, actor: StaffUser, order_id: int, reply: str, now: datetime | None = None
) -> WorkOrder:
    """The department says what it did (答复). A return visit follows. The lead of a
    multi-department order replies for the whole order, once its assisting departments'
    parts have replied or been withdrawn."""
    now = now or timezone.now()
    order = _handled(actor, order_id)
    text = text_clean(reply, field=_("The reply"), limit=TEXT_MAX_LENGTH)
    _parts_replied(order)
    return WORKORDER.move(
        order,
        to=OrderState.REPLIED,
        action=OrderAction.REPLY,
        actor=actor,
        at=now,
        fields={
            "reply": text,
            "replied_at": now,
            "replied_on_time": order.due_at is None or now <= order.due_at,
        },
        reason=text,
    )


def _return_visit_move(
    order: WorkOrder,
    *,
    actor: Actor | None,
    resolved: bool,
    satisfaction: str,
    comment: str,
    now: datetime,
) -> WorkOrder:
    level = _choice(satisfaction, Satisfaction, ErrorCode.INVALID_SATISFACTION, _("satisfaction"))
    note = text_clean(comment, field=_("The comment"), required=False, limit=NOTE_MAX_LENGTH)
    detail = {"resolved": bool(resolved), "satisfaction": level}
    if resolved and level != Satisfaction.DISSATISFIED:
        return WORKORDER.move(
            order,
            to=OrderState.CLOSED,
            action=OrderAction.RETURN_VISIT,
            actor=actor,
            at=now,
            fields={"resolved": True, "satisfaction": level, "closed_at": now},
            reason=note,
            detail=detail,
        )
    # Unresolved or unsatisfied: back to the same department, with a new clock; the
    # assisting departments that replied handle their parts again.
    from onestop.hotline.services.parts import parts_reopen

    reopened = WORKORDER.move(
        order,
        to=OrderState.DISPATCHED,
        action=OrderAction.REOPEN,
        actor=actor,
        at=now,
        fields={
            "resolved": bool(resolved),
            "satisfaction": level,
            "reopen_count": order.reopen_count + 1,
            "replied_on_time": None,
            **_clock_fields(order, now),
        },
        reason=note,
        detail=detail,
    )
    parts_reopen(reopened, actor=actor, now=now)
    return reopened


@audited("hotline.order", timeline=True)
def order_return_visit(
    *,
    actor: StaffUser,
    order_id: int,
    resolved: bool,
    satisfaction: str,
    comment: str = "",
    now: datetime | None = None,
) -> WorkOrder:
    """An agent's return visit (回访) after the reply: resolved and satisfied (or basically)
    closes the order; otherwise it reopens to the same department, counted."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.RETURN_VISIT, for_update=True)
    return _return_visit_move(
        order, actor=actor, resolved=resolved, satisfaction=satisfaction, comment=comment, now=now
    )


@audited("hotline.order", timeline=True)
def order_return_visit_answer(
    *,
    actor: Account | None,
    number: str,
    phone: str,
    resolved: bool,
    satisfaction: str,
    comment: str = "",
    now: datetime | None = None,
) -> WorkOrder:
    """The citizen answers the return visit themselves (the SMS link, the app)."""
    now = now or timezone.now()
    order = selectors.order_for_citizen(number, phone, for_update=True)
    return _return_visit_move(
        order, actor=actor, resolved=resolved, satisfaction=satisfaction, comment=comment, now=now
    )


@audited("hotline.order.close", timeline=True)
def order_close(
    *, actor: StaffUser, order_id: int, reason: str, now: datetime | None = None
) -> WorkOrder:
    """A dispatcher closes a replied order without a return visit (the citizen cannot be
    reached, declined), or a returned one nobody should handle: only with a reason."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.SUPERVISE, for_update=True)
    why = text_clean(reason, field=_("The reason"), limit=NOTE_MAX_LENGTH)
    return WORKORDER.move(
        order,
        to=OrderState.CLOSED,
        action=OrderAction.CLOSE,
        actor=actor,
        at=now,
        fields={"closed_at": now, "closed_reason": why},
        reason=why,
    )


@audited("hotline.order.contact_reveal", timeline=True)
def order_contact_reveal(
    *, actor: StaffUser, order_id: int, purpose: str, now: datetime | None = None
) -> str:
    """The caller's full number, for an agent or dispatcher calling back; the reveal and its
    purpose are recorded on the order's (internal) timeline and in the audit log."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.READ)
    RULES.require(actor, Perm.REVEAL_CONTACT, order.place)
    why = text_clean(purpose, field=_("The purpose"), limit=200)
    WORKORDER.record(
        order,
        action=OrderAction.CONTACT_REVEAL,
        actor=actor,
        at=now,
        reason=why,
        context={"public": False},
    )
    return pii.reveal(order, "contact_phone")
