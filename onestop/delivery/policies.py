"""Who may do what with the delivery of results (core.access). Deny by default.

- Window clerks and the hall manager of a centre work its issuance window: hand results
  over, put them in the centre's lockers, send them by courier and confirm delivery.
- The centre's pickup locker is a hall device of the centre: it opens a compartment for the
  applicant who brings the code and their ID card (a clerk or the manager may try it too,
  as with the kiosk).
- The hall manager sets up the centre's lockers; the platform (a command, the demo) too.
- The platform (no account) runs the sweep of uncollected results.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    ISSUE = "delivery.issue"
    PICKUP = "delivery.pickup"
    MANAGE = "delivery.manage"
    SWEEP = "delivery.sweep"


RULES = Permissions(
    {
        Perm.ISSUE: Rule(
            scoped={Role.WINDOW_CLERK, Role.HALL_MANAGER},
            denied=_("You do not work at the issuance window of this centre."),
        ),
        Perm.PICKUP: Rule(
            scoped={Role.HALL_DEVICE, Role.WINDOW_CLERK, Role.HALL_MANAGER},
            denied=_("This screen is not a pickup locker of this centre."),
        ),
        Perm.MANAGE: Rule(
            scoped={Role.HALL_MANAGER},
            anywhere={Role.PLATFORM_ADMIN},
            system=True,
            denied=_("Only the hall manager sets up the centre's lockers."),
        ),
        Perm.SWEEP: Rule(system=True, anywhere={Role.PLATFORM_ADMIN}),
    }
)
