"""Who may do what with ratings (core.access). Deny by default.

- Rate a visit: whoever holds the visit's public token (the QR on the ticket); no sign-in,
  so no rule here.
- Follow-up tasks: the hall manager of the rated centre only. They hold the rater's contact
  details, which are for calling back, not for the platform's administrators.
- Read ratings (counts and levels, no contact details): the centre's hall manager and
  platform admins, through the hall statistics.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    FOLLOW_UP = "ratings.follow_up"
    READ = "ratings.read"


RULES = Permissions(
    {
        Perm.FOLLOW_UP: Rule(
            scoped={Role.HALL_MANAGER},
            denied=_("Only this centre's hall manager handles its follow-ups."),
        ),
        Perm.READ: Rule(scoped={Role.HALL_MANAGER}, anywhere={Role.PLATFORM_ADMIN}),
    }
)
