"""Reads for the portal's pages: the signed-in user's role panels and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onestop.centres.selectors import centre_names as selectors_centre_names
from onestop.core.access import ROLE_SCOPE, Actor, Role, ScopeKind
from onestop.core.errors import PermissionDenied
from onestop.core.models import AuditEntry
from onestop.identity.enums import ErrorCode
from onestop.portal import policies

if TYPE_CHECKING:
    from onestop.identity.models import RoleAssignment


def scope_label(assignment: RoleAssignment, centre_names: dict[int, str] | None = None) -> str:
    """Where an assignment applies, as staff read it. Grids belong to an app that will name
    them; until then they show by number."""
    kind = ROLE_SCOPE.get(assignment.role)
    if kind == ScopeKind.DEPARTMENT and assignment.department is not None:
        return assignment.department.name
    if kind == ScopeKind.REGION and assignment.region is not None:
        return assignment.region.name
    if kind == ScopeKind.CENTRE and assignment.centre_id is not None:
        names = (
            centre_names
            if centre_names is not None
            else selectors_centre_names({assignment.centre_id})
        )
        return names.get(assignment.centre_id) or _("Service centre #%(id)s") % {
            "id": assignment.centre_id
        }
    if kind == ScopeKind.GRID and assignment.grid_id is not None:
        return _("Grid #%(id)s") % {"id": assignment.grid_id}
    return _("No scope recorded")


@dataclass
class RolePanel:
    role: Role
    scopes: list[str] = field(default_factory=list)


def role_panels_for(user: Actor | None) -> list[RolePanel]:
    """One panel per role held, listing every scope the role is held in."""
    panels: dict[str, RolePanel] = {}
    assignments = policies.role_assignments_for(user)
    names = selectors_centre_names({a.centre_id for a in assignments if a.centre_id is not None})
    for assignment in assignments:
        panel = panels.setdefault(assignment.role, RolePanel(role=Role(assignment.role)))
        panel.scopes.append(scope_label(assignment, names))
    return [panels[role.value] for role in Role if role.value in panels]


def audit_entry_list(
    *,
    actor: Actor | None,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    stream: str = "",
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, for an actor allowed to read the log.

    `action` matches as a prefix, so "identity." finds every identity event; the object
    and stream filters match exactly. Sequence numbers count within a stream, so the whole
    log reads in the order of time.
    """
    if not policies.can_view_audit_log(actor):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("You may not read the audit log."))
    entries = AuditEntry.objects.order_by("-created_at", "-id")
    if stream:
        entries = entries.filter(stream=stream)
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
