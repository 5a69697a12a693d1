"""Who may change core's reference data (core.access): the working-day calendar's overrides
are the platform admins'. The official table itself comes with the code."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    CALENDAR_MANAGE = "core.calendar_manage"


RULES = Permissions(
    {
        Perm.CALENDAR_MANAGE: Rule(
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only a platform administrator may change the working-day calendar."),
        ),
    }
)
