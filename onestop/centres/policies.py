"""Who may change a centre (core.access). Deny by default: platform admins add centres and
change any; a hall manager changes their own centre's hours and categories."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    CREATE = "centres.create"
    MANAGE = "centres.manage"


RULES = Permissions(
    {
        Perm.CREATE: Rule(
            anywhere={Role.PLATFORM_ADMIN}, denied=_("Only a platform admin adds centres.")
        ),
        Perm.MANAGE: Rule(
            scoped={Role.HALL_MANAGER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("You may not change this service centre."),
        ),
    }
)
