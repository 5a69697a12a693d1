"""Giving staff their roles, each scoped to where it applies (enums.ROLE_SCOPE). Only a
platform admin (or superuser) assigns and revokes roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core.access import ROLE_SCOPE, Role, ScopeKind
from onestop.core.audit import audit_record
from onestop.core.enums import ErrorCode as CoreErrorCode
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import Department, Region
from onestop.identity import policies
from onestop.identity.enums import STAFF_KINDS, AccountKind, ErrorCode
from onestop.identity.models import RoleAssignment, User
from onestop.identity.policies import Permission

_SCOPE_FIELDS = {
    ScopeKind.DEPARTMENT: "department",
    ScopeKind.REGION: "region",
    ScopeKind.CENTRE: "centre_id",
    ScopeKind.GRID: "grid_id",
}


@dataclass(frozen=True)
class RoleGrant:
    """One role to give, with its scope: exactly the one ROLE_SCOPE names."""

    role: str
    department: Department | int | None = None
    region: Region | int | None = None
    centre_id: int | None = None
    grid_id: int | None = None

    @classmethod
    def of(cls, value: RoleGrant | Mapping[str, Any]) -> RoleGrant:
        return value if isinstance(value, RoleGrant) else cls(**value)


def _resolve(model: type[Department] | type[Region], value: Any) -> Any:
    if value is None or isinstance(value, model):
        return value
    row = model.objects.filter(pk=value).first()
    if row is None:
        code = (
            CoreErrorCode.UNKNOWN_DEPARTMENT
            if model is Department
            else CoreErrorCode.UNKNOWN_REGION
        )
        raise DomainError(code, _("No such %(what)s.") % {"what": model._meta.verbose_name})
    return row


def role_scope_check(grant: RoleGrant) -> dict[str, Any]:
    """The assignment's columns for a valid grant; DomainError unknown_role or
    role_scope_missing (the role's scope is missing, or another scope is given)."""
    if grant.role not in Role.values:
        raise DomainError(ErrorCode.UNKNOWN_ROLE, _("There is no such role."), role=grant.role)
    role = Role(grant.role)
    kind = ROLE_SCOPE[role]
    given = {
        "department": grant.department,
        "region": grant.region,
        "centre_id": grant.centre_id,
        "grid_id": grant.grid_id,
    }
    wanted = _SCOPE_FIELDS[kind]
    extra = sorted(field for field, value in given.items() if field != wanted and value is not None)
    if given[wanted] is None or extra:
        raise DomainError(
            ErrorCode.ROLE_SCOPE_MISSING,
            _("The role %(role)s is held in one %(scope)s, and only that must be given.")
            % {"role": role.label, "scope": kind.value},
            role=role.value,
            scope=kind.value,
            unexpected=extra,
        )
    columns = {"role": role.value, **dict.fromkeys(_SCOPE_FIELDS.values())}
    if wanted == "department":
        columns["department"] = _resolve(Department, grant.department)
    elif wanted == "region":
        columns["region"] = _resolve(Region, grant.region)
    else:
        columns[wanted] = int(cast(int, given[wanted]))
    return columns


def _scope_summary(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "department_id": assignment.department_id,
        "region_id": assignment.region_id,
        "centre_id": assignment.centre_id,
        "grid_id": assignment.grid_id,
    }


def role_assign_unchecked(*, actor: Any, user: User, columns: dict[str, Any]) -> RoleAssignment:
    """The write of `role_assign`, for callers that checked permission, the account kind and
    the scope (staff_create does, for each grant, before writing anything)."""
    if RoleAssignment.objects.filter(user=user, **columns).exists():
        raise Conflict(
            ErrorCode.DUPLICATE_ROLE_ASSIGNMENT,
            _("The user already holds this role in this scope."),
            role=columns["role"],
        )
    assignment = RoleAssignment.objects.create(user=user, **columns)
    audit_record(
        actor=actor, action="role.assign", obj=assignment, after=_scope_summary(assignment)
    )
    user.forget_role_assignments()
    return assignment


def role_holder_check(user: User, role: str) -> None:
    """Staff hold every role but the hall device's; a hall device holds only that one."""
    if user.kind not in STAFF_KINDS:
        raise DomainError(ErrorCode.NOT_STAFF_ACCOUNT, _("Roles are held by staff accounts only."))
    if (user.kind == AccountKind.DEVICE) != (role == Role.HALL_DEVICE):
        raise DomainError(
            ErrorCode.NOT_STAFF_ACCOUNT,
            _("A hall device holds the hall device role, and only a hall device does."),
            role=role,
        )


def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    department: Department | int | None = None,
    region: Region | int | None = None,
    centre_id: int | None = None,
    grid_id: int | None = None,
) -> RoleAssignment:
    policies.RULES.require(actor, Permission.STAFF_MANAGE, user.place)
    role_holder_check(user, role)
    columns = role_scope_check(RoleGrant(role, department, region, centre_id, grid_id))
    with transaction.atomic():
        # Lock the user: two admins giving the same role at once must not both succeed
        # (the unique constraint does not see NULL scope columns as equal).
        User.objects.select_for_update().filter(pk=user.pk).first()
        return role_assign_unchecked(actor=actor, user=user, columns=columns)


def role_revoke(*, actor: Any, assignment_id: int, reason: str = "") -> None:
    policies.RULES.require(actor, Permission.STAFF_MANAGE)
    with transaction.atomic():
        assignment = (
            RoleAssignment.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=assignment_id)
            .first()
        )
        if assignment is None:
            raise NotFound(ErrorCode.ROLE_ASSIGNMENT_NOT_FOUND, _("No such role assignment."))
        before = _scope_summary(assignment)
        assignment.delete()
        audit_record(
            actor=actor,
            action="role.revoke",
            object_type="identity.roleassignment",
            object_id=assignment_id,
            before=before,
            reason=reason[:500],
        )
        assignment.user.forget_role_assignments()
