"""Call records: each inbound call the telephony adapter reports, and the order it produced."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, NotFound
from onestop.core.service import audited
from onestop.hotline import selectors
from onestop.hotline.enums import CallOutcome, ErrorCode
from onestop.hotline.models import CallRecord, Line, RollupDay
from onestop.hotline.policies import RULES, Perm
from onestop.hotline.telephony import InboundCall
from onestop.identity.actors import StaffUser


def _summary(call: CallRecord) -> dict[str, Any]:
    return {
        "line_id": call.line_id,
        "outcome": call.outcome,
        "wait_seconds": call.wait_seconds,
        "order_id": call.order_id,
    }


def _build(call: InboundCall, lines: dict[str, Line], agent_id: int | None) -> CallRecord:
    line = lines.get(call.line_code)
    if line is None:
        raise NotFound(ErrorCode.UNKNOWN_LINE, _("There is no such hotline line."))
    if call.wait_seconds < 0 or call.talk_seconds < 0:
        raise DomainError(ErrorCode.INVALID_CALL, _("A call's times cannot be negative."))
    staffed = line.is_staffed(call.arrived_at)
    outcome = (
        CallOutcome.CALLBACK
        if not staffed
        else (CallOutcome.ANSWERED if call.answered else CallOutcome.ABANDONED)
    )
    record = CallRecord(
        line=line,
        arrived_at=call.arrived_at,
        wait_seconds=call.wait_seconds,
        outcome=outcome,
        agent_id=agent_id if outcome == CallOutcome.ANSWERED else None,
        talk_seconds=call.talk_seconds if outcome == CallOutcome.ANSWERED else 0,
        external_id=call.external_id or None,
    )
    pii.assign(record, "caller", "".join(ch for ch in call.caller if ch.isdigit()) or None)
    return record


@audited("hotline.call.register")
def calls_register(
    *, actor: Actor | None, calls: Iterable[InboundCall], agent_id: int | None = None
) -> int:
    """Record calls the telephony adapter reports (a batch, as a CTI hands them over). A
    call already recorded (same external id) is skipped, so a batch can be sent again. A
    call outside its line's hours is recorded as a callback offered, never lost."""
    RULES.require(actor, Perm.SWEEP)
    lines = {line.code: line for line in Line.objects.all()}
    batch = [_build(call, lines, agent_id) for call in calls]
    known = set(
        CallRecord.objects.filter(
            external_id__in=[c.external_id for c in batch if c.external_id]
        ).values_list("external_id", flat=True)
    )
    new = [c for c in batch if c.external_id not in known]
    CallRecord.objects.bulk_create(new, batch_size=1000)
    # Calls reported late for a day already rolled up: the day is computed again.
    RollupDay.objects.filter(
        day__in={timezone.localdate(c.arrived_at) for c in new}, dirty=False
    ).update(dirty=True)
    audit_record(
        actor=actor,
        action="hotline.call.register",
        object_type="hotline.callrecord",
        after={"calls": len(new), "skipped": len(batch) - len(new)},
    )
    return len(new)


@audited("hotline.call.attach")
def call_attach(*, actor: StaffUser, call_id: int, order_id: int) -> CallRecord:
    """The agent links the call they are on to the order it produced."""
    order = selectors.access_order(actor, order_id, Perm.TAKE)
    call = CallRecord.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise NotFound(ErrorCode.CALL_NOT_FOUND, _("There is no such call."))
    call.order = order
    call.save(update_fields=["order"])
    audit_record(actor=actor, action="hotline.call.attach", obj=call, after=_summary(call))
    return call
