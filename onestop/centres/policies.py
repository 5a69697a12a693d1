"""Who may change a centre. Deny by default: platform admins any centre, a hall manager
(identity Role.HALL_MANAGER, scoped to a centre) their own centre's hours and categories."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.centres.enums import ErrorCode
from onestop.core.errors import PermissionDenied
from onestop.identity.enums import Role


def _active(actor: Any) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_active", False)
        and getattr(actor, "pk", None) is not None
    )


def can_create_centre(actor: Any) -> bool:
    return _active(actor) and bool(getattr(actor, "is_platform_admin", False))


def can_manage_centre(actor: Any, centre_id: int) -> bool:
    if not _active(actor):
        return False
    if getattr(actor, "is_platform_admin", False):
        return True
    return actor.roles.filter(role=Role.HALL_MANAGER, centre_id=centre_id).exists()


def managed_centre_ids(actor: Any) -> set[int] | None:
    """The centres `actor` manages; None means every centre."""
    if not _active(actor):
        return set()
    if getattr(actor, "is_platform_admin", False):
        return None
    return set(
        actor.roles.filter(role=Role.HALL_MANAGER, centre_id__isnull=False).values_list(
            "centre_id", flat=True
        )
    )


def require_manage_centre(actor: Any, centre_id: int) -> None:
    if not can_manage_centre(actor, centre_id):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED, _("You may not change this service centre."), centre=centre_id
        )


def require_create_centre(actor: Any) -> None:
    if not can_create_centre(actor):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Only a platform admin adds centres."))
