"""Lifting a no-show block (the sweep makes them: services/sweep.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onestop.appointments import policies
from onestop.appointments.enums import ErrorCode
from onestop.appointments.models import BookingBlock
from onestop.appointments.policies import Perm
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.service import audited
from onestop.identity.actors import StaffUser


@audited("appointments.booking_block.lift")
def booking_block_lift(*, actor: StaffUser, block_id: int, reason: str) -> BookingBlock:
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
    block = BookingBlock.objects.select_for_update().filter(pk=pk).first()
    if block is None or not policies.RULES.can(actor, Perm.LIFT_BLOCK, block.place):
        raise NotFound(ErrorCode.BLOCK_NOT_FOUND, _("There is no such block."))
    if block.lifted_at is not None:
        # Two managers at once: the second is told, and nothing changes.
        raise Conflict(
            ErrorCode.BLOCK_LIFTED,
            _("This block was lifted already, on %(when)s.")
            % {"when": date_format(timezone.localtime(block.lifted_at), "Y-m-d H:i")},
        )
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.lift_reason = reason
    block.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(
        actor=actor,
        action="appointments.booking_block.lift",
        obj=block,
        before={"ends_at": block.ends_at.isoformat()},
        after={"lifted_at": block.lifted_at.isoformat()},
        reason=reason,
    )
    return block
