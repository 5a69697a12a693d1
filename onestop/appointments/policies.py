"""Who may book, and who may see and change a centre's slots and blocks.

Deny by default. A citizen books for their own person only; staff book for nobody. A hall
manager sees and changes their own centre's templates and slots, a platform admin every
centre's; no-show blocks are lifted by platform admins and hall managers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.appointments.enums import ErrorCode
from onestop.centres.policies import can_manage_centre, managed_centre_ids
from onestop.core.errors import PermissionDenied
from onestop.identity.enums import AccountKind, Role

__all__ = ["can_manage_centre", "managed_centre_ids"]


def citizen_person_id(actor: Any) -> int | None:
    """The person a citizen account books for; None for anyone else."""
    if (
        actor is None
        or not getattr(actor, "is_active", False)
        or getattr(actor, "kind", None) != AccountKind.CITIZEN
    ):
        return None
    return getattr(actor, "person_id", None)


def require_citizen(actor: Any) -> int:
    person_id = citizen_person_id(actor)
    if person_id is None:
        raise PermissionDenied(
            ErrorCode.NOT_A_CITIZEN, _("Only a citizen signed in with their own account can book.")
        )
    return person_id


def can_lift_blocks(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_active", False):
        return False
    if getattr(actor, "is_platform_admin", False):
        return True
    assignments = actor.role_assignments() if hasattr(actor, "role_assignments") else []
    return any(a.role == Role.HALL_MANAGER for a in assignments)


def require_manage_centre(actor: Any, centre_id: int) -> None:
    if not can_manage_centre(actor, centre_id):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED, _("You may not change this centre's appointments.")
        )
