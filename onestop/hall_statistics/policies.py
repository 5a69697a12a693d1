"""Who may read a hall's statistics: the centre's hall manager and platform admins. Deny by
default; clerks, devices, citizens and anonymous visitors see none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.core.errors import PermissionDenied
from onestop.hall import policies as hall_policies
from onestop.hall_statistics.enums import ErrorCode
from onestop.identity.enums import Role

MANAGER = frozenset({Role.HALL_MANAGER})


def can_view_statistics(actor: Any, centre_id: int) -> bool:
    return hall_policies.can_manage(actor, centre_id)


def statistics_centre_ids(actor: Any) -> set[int] | None:
    """The centres whose statistics `actor` reads; None means every centre."""
    return hall_policies.centre_ids(actor, MANAGER)


def require_view_statistics(actor: Any, centre_id: int) -> None:
    if not can_view_statistics(actor, centre_id):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED,
            _("Only this centre's hall manager reads its statistics."),
            centre=centre_id,
        )
