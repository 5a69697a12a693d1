"""Who may do what with identities. Deny by default.

A permission is granted by a role (the ROLE_PERMISSIONS table), and with an object it must
also fall inside the scope of one of the actor's assignments of such a role (a department
approver acts within their department, a grid manager within their region). A few
permissions are granted to anyone over their own data (SELF_PERMISSIONS): a citizen sees and
may unmask their own identifiers, a staff member manages their own API tokens.

Superusers count as platform admins: they manage staff, roles and tokens, and read the
audit log, but unmasking other people's identifiers stays with the roles whose work needs
it. Inactive and anonymous users, and unknown permission names, get False.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from onestop.core.errors import PermissionDenied
from onestop.identity.enums import ROLE_SCOPE, ErrorCode, Role, ScopeKind
from onestop.identity.models import Person, RoleAssignment, User


class Permission(StrEnum):
    PERSON_REGISTER = "person.register"
    PERSON_VIEW = "person.view"
    PERSON_UPDATE_CONTACT = "person.update_contact"
    PERSON_SET_REAL_NAME_LEVEL = "person.set_real_name_level"
    PERSON_REVEAL_ID_NUMBER = "person.reveal_id_number"
    PERSON_REVEAL_PHONE = "person.reveal_phone"
    PERSON_REVEAL_SOCIAL_SECURITY_NO = "person.reveal_social_security_no"
    ENTERPRISE_REGISTER = "enterprise.register"
    ENTERPRISE_VIEW = "enterprise.view"
    STAFF_MANAGE = "staff.manage"
    TOKEN_MANAGE = "token.manage"  # noqa: S105 - a permission name
    AUDIT_READ = "audit.read"


P = Permission

_REVEAL_ALL = frozenset(
    {P.PERSON_REVEAL_ID_NUMBER, P.PERSON_REVEAL_PHONE, P.PERSON_REVEAL_SOCIAL_SECURITY_NO}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # At the counter the clerk checks the card against the person in front of them, so
    # they register people, correct contacts, confirm real names and see full numbers.
    Role.WINDOW_CLERK: frozenset(
        {
            P.PERSON_REGISTER,
            P.PERSON_VIEW,
            P.PERSON_UPDATE_CONTACT,
            P.PERSON_SET_REAL_NAME_LEVEL,
            P.ENTERPRISE_REGISTER,
            P.ENTERPRISE_VIEW,
            *_REVEAL_ALL,
        }
    ),
    Role.HALL_MANAGER: frozenset({P.PERSON_VIEW, P.ENTERPRISE_VIEW}),
    # Approving an application means checking the applicant's identifiers.
    Role.DEPARTMENT_APPROVER: frozenset({P.PERSON_VIEW, P.ENTERPRISE_VIEW, *_REVEAL_ALL}),
    # An agent calls people back, so the phone number, and nothing more.
    Role.HOTLINE_AGENT: frozenset({P.PERSON_VIEW, P.PERSON_REVEAL_PHONE}),
    Role.DISPATCHER: frozenset({P.PERSON_VIEW}),
    Role.DEPARTMENT_HANDLER: frozenset({P.PERSON_VIEW, P.ENTERPRISE_VIEW}),
    # Grid workers get person access with the grid app, which knows which grid a person
    # lives in; until then they have none.
    Role.GRID_WORKER: frozenset(),
    Role.GRID_MANAGER: frozenset({P.PERSON_VIEW}),
    # A kiosk reads cards to issue tickets (the hall's policies); it sees nobody's record.
    Role.HALL_DEVICE: frozenset(),
    # Stewards answer for shared data, so they read the audit log and can verify records.
    Role.DATA_STEWARD: frozenset({P.PERSON_VIEW, P.ENTERPRISE_VIEW, P.AUDIT_READ, *_REVEAL_ALL}),
    Role.PLATFORM_ADMIN: frozenset(
        {
            P.STAFF_MANAGE,
            P.TOKEN_MANAGE,
            P.AUDIT_READ,
            P.PERSON_REGISTER,
            P.PERSON_VIEW,
            P.ENTERPRISE_REGISTER,
            P.ENTERPRISE_VIEW,
        }
    ),
}

SUPERUSER_PERMISSIONS = ROLE_PERMISSIONS[Role.PLATFORM_ADMIN]

# Granted over the actor's own person (citizens and staff alike) or own account.
SELF_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "identity.person": frozenset({P.PERSON_VIEW, *_REVEAL_ALL}),
    "identity.user": frozenset({P.TOKEN_MANAGE}),
}

REVEAL_PERMISSION: dict[str, Permission] = {
    "id_number": P.PERSON_REVEAL_ID_NUMBER,
    "phone": P.PERSON_REVEAL_PHONE,
    "social_security_no": P.PERSON_REVEAL_SOCIAL_SECURITY_NO,
}


def _region_contains(assignment: RoleAssignment, region_id: int | None) -> bool:
    if assignment.region is None or region_id is None:
        return False
    if region_id == assignment.region_id:
        return True
    from onestop.core.models import Region

    # Region codes nest by prefix (core.regions): a district's code starts every code below.
    return Region.objects.filter(pk=region_id, code__startswith=assignment.region.code).exists()


def assignment_covers(assignment: RoleAssignment, obj: Any) -> bool:
    """Whether `obj` lies in the assignment's scope, read from the object's own
    `department_id`, `centre_id`, `grid_id` or `region_id`. An object without the attribute
    the role is scoped by is outside it. Other apps' policies use this for their rows."""
    kind = ROLE_SCOPE.get(assignment.role)
    if kind == ScopeKind.DEPARTMENT:
        value = getattr(obj, "department_id", None)
        return value is not None and value == assignment.department_id
    if kind == ScopeKind.CENTRE:
        value = getattr(obj, "centre_id", None)
        return value is not None and value == assignment.centre_id
    if kind == ScopeKind.GRID:
        value = getattr(obj, "grid_id", None)
        return value is not None and value == assignment.grid_id
    if kind == ScopeKind.REGION:
        return _region_contains(assignment, getattr(obj, "region_id", None))
    return False


def _person_in_scope(assignment: RoleAssignment, person: Any) -> bool:
    # People are served anywhere in the city (全城通办): any hall, the hotline, any
    # department's approval. Only the grid roles are bound to where a person lives.
    if assignment.role == Role.GRID_MANAGER:
        return _region_contains(assignment, person.region_id)
    return assignment.role != Role.GRID_WORKER


def _citywide(assignment: RoleAssignment, obj: Any) -> bool:
    return True


# Scope rules by model label; other objects fall back to `assignment_covers`.
SCOPE_RULES: dict[str, Callable[[RoleAssignment, Any], bool]] = {
    "identity.person": _person_in_scope,
    "identity.enterprise": _citywide,
    "identity.user": _citywide,
    "identity.roleassignment": _citywide,
    "identity.apitoken": _citywide,
}


def _label(obj: Any) -> str:
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None else ""


def _is_own(actor: User, obj: Any) -> bool:
    if isinstance(obj, Person):
        return actor.person_id is not None and obj.pk == actor.person_id
    if isinstance(obj, User):
        # Citizens included: they see and revoke the tokens their channels hold.
        return obj.pk == actor.pk
    return False


def _active_user(actor: Any) -> User | None:
    if not isinstance(actor, User) or not actor.is_active or actor.pk is None:
        return None
    return actor


def can(actor: Any, permission: str, obj: Any = None) -> bool:
    """Whether `actor` holds `permission`, over `obj` when one is given."""
    user = _active_user(actor)
    if user is None or permission not in Permission.__members__.values():
        return False
    perm = Permission(permission)
    if obj is not None and perm in SELF_PERMISSIONS.get(_label(obj), ()) and _is_own(user, obj):
        return True
    if user.is_superuser and perm in SUPERUSER_PERMISSIONS:
        return True
    rule = SCOPE_RULES.get(_label(obj), assignment_covers)
    for assignment in user.role_assignments():
        role = Role(assignment.role)
        if perm not in ROLE_PERMISSIONS.get(role, ()):
            continue
        if obj is None or rule(assignment, obj):
            return True
    return False


def require(actor: Any, permission: str, obj: Any = None) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED,
            _("You are not allowed to do this."),
            permission=str(permission),
        )


def roles_held(user: Any) -> list[Role]:
    """The distinct roles an active staff user holds, in the order of the Role enum."""
    active = _active_user(user)
    if active is None:
        return []
    held = {a.role for a in active.role_assignments()}
    return [role for role in Role if role.value in held]


def scope_ids(user: Any, role: Role) -> dict[str, set[int]]:
    """Where `user` holds `role`: the department, region, centre and grid ids of their
    assignments of it, for apps that filter querysets by scope."""
    ids: dict[str, set[int]] = {
        "department": set(),
        "region": set(),
        "centre": set(),
        "grid": set(),
    }
    active = _active_user(user)
    if active is None:
        return ids
    for a in active.role_assignments():
        if a.role != role:
            continue
        for key, value in (
            ("department", a.department_id),
            ("region", a.region_id),
            ("centre", a.centre_id),
            ("grid", a.grid_id),
        ):
            if value is not None:
                ids[key].add(value)
    return ids
