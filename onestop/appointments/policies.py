"""Who may book, and who may see and change a centre's slots and blocks (core.access).

A citizen books for their own person only (identity's Citizen account); staff book for
nobody. A hall manager sets up their own centre's templates, slots and rules, a platform
admin any centre's. A centre's kiosks (hall devices) and its window staff check bookings in
there, and the platform itself (the demo, a command) anywhere. A no-show block is lifted by a
platform admin, or by the hall manager of the centre where the no-show that imposed it
happened.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.appointments.enums import ErrorCode
from onestop.core.access import Actor, Permissions, Role, Rule
from onestop.core.errors import PermissionDenied
from onestop.identity.actors import Citizen


class Perm(StrEnum):
    MANAGE_CENTRE = "appointments.manage_centre"
    LIFT_BLOCK = "appointments.lift_block"
    CHECK_IN = "appointments.check_in"


RULES = Permissions(
    {
        Perm.MANAGE_CENTRE: Rule(
            scoped={Role.HALL_MANAGER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=gettext_lazy("You may not change this centre's appointments."),
        ),
        Perm.LIFT_BLOCK: Rule(
            scoped={Role.HALL_MANAGER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=gettext_lazy("You may not lift this booking block."),
        ),
        Perm.CHECK_IN: Rule(
            scoped={Role.HALL_DEVICE, Role.WINDOW_CLERK, Role.HALL_MANAGER},
            system=True,
            denied=gettext_lazy("Bookings are checked in at the centre's own kiosks."),
        ),
    }
)


def citizen_person_id(actor: Actor | None) -> int | None:
    """The person a citizen account books for; None for anyone else."""
    if not isinstance(actor, Citizen) or not actor.is_active:
        return None
    return actor.person_id


def require_citizen(actor: Actor | None) -> Citizen:
    """The actor as a citizen booking for themself; anyone else is refused (not_a_citizen)."""
    if not isinstance(actor, Citizen) or not actor.is_active or actor.person_id is None:
        raise PermissionDenied(
            ErrorCode.NOT_A_CITIZEN, _("Only a citizen signed in with their own account can book.")
        )
    return actor
