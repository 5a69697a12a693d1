"""Who may change the catalog. Deny by default.

A department's approvers (identity Role.DEPARTMENT_APPROVER, scoped to that department)
draft, review, publish and withdraw its items; platform admins do so for every item,
including the provincial ones, which belong to no department of the city. Everyone may read
what is published.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.catalog.enums import ErrorCode
from onestop.core.errors import PermissionDenied
from onestop.identity.enums import Role


def _active(actor: Any) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_active", False)
        and getattr(actor, "pk", None) is not None
    )


def can_manage_department_items(actor: Any, department_id: int | None) -> bool:
    """Whether `actor` may draft, review, publish and withdraw items of this department
    (None: an item with no department, such as a provincial one)."""
    if not _active(actor):
        return False
    if getattr(actor, "is_platform_admin", False):
        return True
    if department_id is None:
        return False
    return actor.roles.filter(role=Role.DEPARTMENT_APPROVER, department_id=department_id).exists()


def managed_department_ids(actor: Any) -> set[int] | None:
    """The departments whose items `actor` manages; None means all of them."""
    if not _active(actor):
        return set()
    if getattr(actor, "is_platform_admin", False):
        return None
    return set(
        actor.roles.filter(role=Role.DEPARTMENT_APPROVER, department_id__isnull=False).values_list(
            "department_id", flat=True
        )
    )


def require_manage(actor: Any, department_id: int | None) -> None:
    if not can_manage_department_items(actor, department_id):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED,
            _("You may not change this department's service items."),
            department_id=department_id,
        )
