"""Who may operate the outbox (core.access): platform admins, and the platform itself (the
purge command)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    MANAGE_OUTBOX = "notifications.manage_outbox"


RULES = Permissions(
    {
        Perm.MANAGE_OUTBOX: Rule(
            anywhere={Role.PLATFORM_ADMIN},
            system=True,
            denied=_("Only a platform admin requeues or purges messages."),
        ),
    }
)
