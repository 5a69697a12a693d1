"""Who may open the portal's staff pages. Deny by default.

The identity app will own role checks (`identity.policies`); until it does, these read the
user's RoleAssignment rows directly, once per request, through `role_assignments_for`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from onestop.identity.enums import AccountKind, Role

if TYPE_CHECKING:
    from onestop.identity.models import RoleAssignment

_CACHE_ATTR = "_portal_role_assignments"

AUDIT_LOG_ROLES = frozenset({Role.DATA_STEWARD, Role.PLATFORM_ADMIN})


def is_staff_account(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.kind == AccountKind.STAFF
    )


def role_assignments_for(user: Any) -> list[RoleAssignment]:
    """A staff user's role assignments with their department and region, in one query.

    Kept on the user object, which lives for one request, so the navigation, the policies
    and the page itself share one read. Other kinds of account hold no roles.
    """
    if not is_staff_account(user):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.roles.select_related("department", "region").order_by("id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_held(user: Any) -> list[Role]:
    """The distinct roles the user holds, in the order of the Role enum."""
    held = {assignment.role for assignment in role_assignments_for(user)}
    return [role for role in Role if role.value in held]


def holds_any_role(user: Any, roles: Iterable[Role]) -> bool:
    wanted = {str(role) for role in roles}
    return any(assignment.role in wanted for assignment in role_assignments_for(user))


def can_view_staff_home(user: Any) -> bool:
    return is_staff_account(user)


def can_view_audit_log(user: Any) -> bool:
    """The whole log, read-only: data stewards answer for who used what, platform admins
    for the platform. Audit entries carry masked summaries only."""
    return holds_any_role(user, AUDIT_LOG_ROLES)


def can_open_admin_site(user: Any) -> bool:
    return is_staff_account(user) and bool(user.is_staff)
