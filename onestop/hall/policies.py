"""Who may do what in a hall, over the platform's roles (core.access). Every hall role is
scoped to a centre; platform admins act at any centre but do not staff windows.

- Issue tickets: the centre's hall devices (kiosks), window clerks and hall manager.
- Serve at a window: the centre's window clerks and its hall manager, who may staff a
  window. Calling, recalling, starting, finishing and no-shows are further limited to the
  clerk signed in at the ticket's window (the services check that, it is not a role).
- Windows, work profiles, prefixes and rules: the centre's hall manager; prefixes for every
  centre at once: platform admins only.
- See a centre's queues: its devices, clerks and manager.
- Open a centre's kiosk screen: its devices, clerks and manager (the console needs SERVE).
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    SCREEN = "hall.screen"
    ISSUE = "hall.issue"
    SERVE = "hall.serve"
    MANAGE = "hall.manage"
    VIEW = "hall.view"
    CONFIGURE_ALL = "hall.configure_all"


R = Role
ON_THE_FLOOR = frozenset({R.HALL_DEVICE, R.WINDOW_CLERK, R.HALL_MANAGER})

RULES = Permissions(
    {
        # Open a centre's kiosk screen: the centre's own roles only. A platform admin is not
        # a kiosk, so `anywhere` grants open no screen.
        Perm.SCREEN: Rule(scoped=ON_THE_FLOOR, denied=_("This screen belongs to a centre.")),
        Perm.ISSUE: Rule(
            scoped=ON_THE_FLOOR,
            anywhere={R.PLATFORM_ADMIN},
            denied=_("You may not issue tickets at this centre."),
        ),
        Perm.SERVE: Rule(
            scoped={R.WINDOW_CLERK, R.HALL_MANAGER},
            denied=_("You do not work at this centre's windows."),
        ),
        Perm.MANAGE: Rule(
            scoped={R.HALL_MANAGER},
            anywhere={R.PLATFORM_ADMIN},
            denied=_("Only this centre's hall manager may do this."),
        ),
        # Settings for every centre at once (the platform's default prefixes): no centre's
        # manager holds it, however many centres they manage.
        Perm.CONFIGURE_ALL: Rule(
            anywhere={R.PLATFORM_ADMIN},
            denied=_("Only a platform admin sets prefixes for every centre."),
        ),
        Perm.VIEW: Rule(
            scoped=ON_THE_FLOOR,
            anywhere={R.PLATFORM_ADMIN},
            denied=_("You may not see this centre's queues."),
        ),
    }
)
