"""Who may read a hall's statistics: the centre's hall manager and platform admins. Deny by
default; clerks, devices, citizens and anonymous visitors see none."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    VIEW = "hall_statistics.view"


RULES = Permissions(
    {
        Perm.VIEW: Rule(
            scoped={Role.HALL_MANAGER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only this centre's hall manager reads its statistics."),
        ),
    }
)
