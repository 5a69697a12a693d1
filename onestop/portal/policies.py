"""Who may open the portal's staff pages. Deny by default; the rules themselves are
identity's (identity.policies) and core's role model, so the portal and the API answer the
same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onestop.core.access import Actor, Role, roles_of
from onestop.identity.actors import HallDevice, StaffUser
from onestop.identity.policies import RULES, Permission

if TYPE_CHECKING:
    from onestop.identity.models import RoleAssignment


def is_staff_account(actor: Actor | None) -> bool:
    """Staff and hall devices: the accounts that hold roles and get a staff home."""
    return isinstance(actor, StaffUser | HallDevice) and actor.is_active


def role_assignments_for(actor: Actor | None) -> list[RoleAssignment]:
    """A staff account's role assignments with their department and region. The account
    keeps them for the request, so navigation, policies and the page share one query."""
    if not isinstance(actor, StaffUser | HallDevice) or not actor.is_active:
        return []
    return actor.role_assignments()


def roles_held(actor: Actor | None) -> list[Role]:
    """The distinct roles the account holds, in the order of the Role enum."""
    return roles_of(actor) if is_staff_account(actor) else []


def can_view_staff_home(actor: Actor | None) -> bool:
    return is_staff_account(actor)


def can_view_audit_log(actor: Actor | None) -> bool:
    """The whole log, read-only: data stewards answer for who used what, platform admins
    (and superusers) for the platform. Audit entries carry masked summaries only."""
    return RULES.can(actor, Permission.AUDIT_READ)


def can_open_admin_site(actor: Actor | None) -> bool:
    return isinstance(actor, StaffUser) and actor.is_active and bool(actor.is_staff)
