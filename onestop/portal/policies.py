"""Who may open the portal's staff pages. Deny by default; the rules themselves are
identity's (identity.policies), so the portal and the API answer the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onestop.identity import policies as identity_policies
from onestop.identity.enums import AccountKind, Role
from onestop.identity.policies import Permission

if TYPE_CHECKING:
    from onestop.identity.models import RoleAssignment


def is_staff_account(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.kind == AccountKind.STAFF
    )


def role_assignments_for(user: Any) -> list[RoleAssignment]:
    """A staff user's role assignments with their department and region. The user object
    keeps them for the request, so navigation, policies and the page share one query."""
    if not is_staff_account(user):
        return []
    return user.role_assignments()


def roles_held(user: Any) -> list[Role]:
    """The distinct roles the user holds, in the order of the Role enum."""
    if not is_staff_account(user):
        return []
    return identity_policies.roles_held(user)


def can_view_staff_home(user: Any) -> bool:
    return is_staff_account(user)


def can_view_audit_log(user: Any) -> bool:
    """The whole log, read-only: data stewards answer for who used what, platform admins
    (and superusers) for the platform. Audit entries carry masked summaries only."""
    return is_staff_account(user) and identity_policies.can(user, Permission.AUDIT_READ)


def can_open_admin_site(user: Any) -> bool:
    return is_staff_account(user) and bool(user.is_staff)
