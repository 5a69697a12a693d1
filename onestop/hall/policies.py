"""Who may do what in a hall. Deny by default; every role is scoped to a centre.

- Issue tickets: the centre's hall devices (kiosks), window clerks and hall manager.
- Sign in at a window and serve: the centre's window clerks (and its hall manager, who may
  staff a window). Calling, recalling, starting, finishing and no-shows are done by the clerk
  signed in at the ticket's window.
- Reinstate, cancel, convert or transfer a ticket that is not at a window: the centre's clerks
  and hall manager.
- Windows, work profiles, prefixes and rules: the centre's hall manager and platform admins.
- See a centre's queues: its devices, clerks and manager, and platform admins.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.core.errors import PermissionDenied
from onestop.hall.enums import ErrorCode
from onestop.identity.enums import Role

DEVICE_ROLES = frozenset({Role.HALL_DEVICE, Role.WINDOW_CLERK, Role.HALL_MANAGER})
SERVING_ROLES = frozenset({Role.WINDOW_CLERK, Role.HALL_MANAGER})


def _assignments(actor: Any) -> list[Any]:
    if actor is None or not getattr(actor, "is_active", False) or actor.pk is None:
        return []
    getter = getattr(actor, "role_assignments", None)
    return list(getter()) if getter else []


def holds(actor: Any, roles: frozenset[str], centre_id: int) -> bool:
    return any(a.role in roles and a.centre_id == centre_id for a in _assignments(actor))


def _admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_platform_admin", False))


def centre_ids(actor: Any, roles: frozenset[str] = DEVICE_ROLES) -> set[int] | None:
    """The centres where `actor` holds one of `roles`; None means every centre."""
    if _admin(actor):
        return None
    return {a.centre_id for a in _assignments(actor) if a.role in roles and a.centre_id}


def can_issue(actor: Any, centre_id: int) -> bool:
    return _admin(actor) or holds(actor, DEVICE_ROLES, centre_id)


def can_serve(actor: Any, centre_id: int) -> bool:
    return holds(actor, SERVING_ROLES, centre_id)


def can_manage(actor: Any, centre_id: int) -> bool:
    return _admin(actor) or holds(actor, frozenset({Role.HALL_MANAGER}), centre_id)


def can_view(actor: Any, centre_id: int) -> bool:
    return _admin(actor) or holds(actor, DEVICE_ROLES, centre_id)


def _deny(message: str, **params: Any) -> PermissionDenied:
    return PermissionDenied(ErrorCode.NOT_ALLOWED, message, **params)


def require_issue(actor: Any, centre_id: int) -> None:
    if not can_issue(actor, centre_id):
        raise _deny(_("You may not issue tickets at this centre."), centre=centre_id)


def require_serve(actor: Any, centre_id: int) -> None:
    if not can_serve(actor, centre_id):
        raise _deny(_("You do not work at this centre's windows."), centre=centre_id)


def require_manage(actor: Any, centre_id: int) -> None:
    if not can_manage(actor, centre_id):
        raise _deny(_("Only this centre's hall manager may do this."), centre=centre_id)


def require_view(actor: Any, centre_id: int) -> None:
    if not can_view(actor, centre_id):
        raise _deny(_("You may not see this centre's queues."), centre=centre_id)
