"""Who may do what with ratings. Deny by default.

- Rate a visit: whoever holds the visit's public token (the QR on the ticket); no sign-in.
- Follow-up tasks: the hall manager of the rated centre only. They hold the rater's contact
  details, which are for calling back, not for the platform's administrators.
- Read ratings (counts and levels, no contact details): the centre's hall manager and
  platform admins, through the hall statistics.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.core.errors import PermissionDenied
from onestop.hall import policies as hall_policies
from onestop.identity.enums import Role
from onestop.ratings.enums import ErrorCode

MANAGER = frozenset({Role.HALL_MANAGER})


def follow_up_centre_ids(actor: Any) -> set[int]:
    """The centres whose follow-up tasks `actor` handles (a platform admin handles none)."""
    if actor is None or not getattr(actor, "is_active", False):
        return set()
    getter = getattr(actor, "role_assignments", None)
    assignments = getter() if getter else []
    return {a.centre_id for a in assignments if a.role in MANAGER and a.centre_id}


def can_handle_follow_ups(actor: Any, centre_id: int) -> bool:
    return hall_policies.holds(actor, MANAGER, centre_id)


def require_handle_follow_ups(actor: Any, centre_id: int) -> None:
    if not can_handle_follow_ups(actor, centre_id):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED,
            _("Only this centre's hall manager handles its follow-ups."),
            centre=centre_id,
        )


def can_read_ratings(actor: Any, centre_id: int) -> bool:
    return hall_policies.can_manage(actor, centre_id)
