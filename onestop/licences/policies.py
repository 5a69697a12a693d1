"""Who may do what with e-licences (core.access). Deny by default.

- The platform admin keeps the catalog of licence types and rotates the signing key; the
  platform itself (a command, the demo, a back-issue import) may too.
- A licence type's issuing department issues its licences and changes their status: its
  approvers and its head, and nobody in another department. Cases (above) issues on a
  decision through the same services, with the deciding approver as the actor.
- A holder sees their own licences (the wallet); an enterprise's licences show in the
  wallet of its legal representative's account.
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
    }
)
