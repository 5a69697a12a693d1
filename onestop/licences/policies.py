"""Who may do what with e-licences (core.access). Deny by default.

- The platform admin keeps the catalog of licence types and rotates the signing key; the
  platform itself (a command, the demo, a back-issue import) may too.
- A licence type's issuing department issues its licences and changes their status: its
  approvers and its head, and nobody in another department. Cases (above) issues on a
  decision through the same services, with the deciding approver as the actor.
- A holder sees their own licences (the wallet); an enterprise's licences show in the
  wallet of its legal representative's account.
- Reuse instead of paper (用证, decision 0036): the holder files their own licence in their
  application; a window clerk files the licence of the applicant in front of them (the
  service checks that the licence is the applicant's). A department's approvers and head
  read an applicant's licences for an item their department handles (依职能查验); outside
  it, only with the holder's one-time code (用证码), which the holder makes in the wallet.
- Verification is public and needs no permission: it reads only what the credential or the
  identifier discloses.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    CATALOG = "licences.catalog"
    ISSUE = "licences.issue"
    MANAGE = "licences.manage"
    VIEW = "licences.view"
    KEYS = "licences.keys"
    USE = "licences.use"
    LOOKUP = "licences.lookup"
    READ_WITH_CODE = "licences.read_with_code"
    USE_CODE = "licences.use_code"


_NOT_YOUR_DEPARTMENT = _("This licence type is issued by another department.")

RULES = Permissions(
    {
        Perm.CATALOG: Rule(anywhere={Role.PLATFORM_ADMIN}, system=True),
        Perm.ISSUE: Rule(
            scoped={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            anywhere={Role.PLATFORM_ADMIN},
            system=True,
            denied=_NOT_YOUR_DEPARTMENT,
        ),
        Perm.MANAGE: Rule(
            scoped={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            anywhere={Role.PLATFORM_ADMIN},
            system=True,
            denied=_NOT_YOUR_DEPARTMENT,
        ),
        Perm.VIEW: Rule(
            owner=True,
            scoped={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            anywhere={Role.PLATFORM_ADMIN},
        ),
        Perm.KEYS: Rule(anywhere={Role.PLATFORM_ADMIN}, system=True),
        Perm.USE: Rule(
            owner=True,
            anywhere={Role.WINDOW_CLERK, Role.HALL_MANAGER},
            denied=_("This licence is not yours to use."),
        ),
        # The item's department (its legal function, 依职能查验) reads an applicant's
        # licences of the types the item accepts.
        Perm.LOOKUP: Rule(
            scoped={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            denied=_(
                "This service is outside your department's function: ask the holder for a "
                "one-time authorisation code."
            ),
        ),
        Perm.READ_WITH_CODE: Rule(
            anywhere={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            denied=_("Only a department's staff read licences with a code."),
        ),
        Perm.USE_CODE: Rule(owner=True, denied=_("This licence is not yours.")),
    }
)
