"""Lifting a no-show block (the sweep makes them: services/sweep.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.appointments import policies
from onestop.appointments.enums import ErrorCode
from onestop.appointments.models import BookingBlock
from onestop.appointments.policies import Perm
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, NotFound, PermissionDenied


def booking_block_lift(*, actor: Any, block_id: Any, reason: str) -> BookingBlock:
    """Lift a no-show block early (the hall manager of the centre where the no-show
    happened, or a platform admin), with a reason that goes into the audit log. Who may
    lift blocks nowhere is refused; a manager of another centre finds no such block."""
    if policies.RULES.coverage(actor, Perm.LIFT_BLOCK).nothing:
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("You may not lift booking blocks."))
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise DomainError(ErrorCode.REASON_REQUIRED, _("Say why the block is lifted."))
    try:
        pk = int(block_id)
    except (TypeError, ValueError):
        pk = 0
    with transaction.atomic():
        block = BookingBlock.objects.select_for_update().filter(pk=pk).first()
        if block is None or not policies.RULES.can(actor, Perm.LIFT_BLOCK, block.place):
            raise NotFound(ErrorCode.BLOCK_NOT_FOUND, _("There is no such block."))
        if block.lifted_at is not None:
            return block
        block.lifted_at = timezone.now()
        block.lifted_by = actor
        block.lift_reason = reason
        block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=actor,
            action="booking_block.lift",
            obj=block,
            before={"ends_at": block.ends_at.isoformat()},
            after={"lifted_at": block.lifted_at.isoformat()},
            reason=reason,
        )
    return block
