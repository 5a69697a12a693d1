"""Who may do what with cases (core.access). Deny by default.

- Window clerks (and the hall manager) of a centre take applications there, check them,
  issue one-time notices, accept or refuse acceptance, and hand results out: every case
  whose accepting centre is theirs. 通办 means the centre can be any district's.
- A department's approvers review and decide its cases, and nobody else's: a district bureau
  is a department of its own, so scoping by department is scoping by region too.
- The department's head approves extensions of its cases' limits.
- Applicants see and withdraw their own cases.
- The platform (no account) runs the deadline sweep.
- A result is handed over by the centre's windows or by its pickup locker (a hall device of
  the centre); the platform notes a result moved back from a locker to the window.
- A department's head and approvers read its figures; the platform admin every one's.
- 即办 items (the catalog's limit is "on the spot") are accepted and decided at the window in
  one go by the clerks and hall manager of the accepting centre: the department delegates
  these decisions to the windows that accept its items (docs/decisions/0034). The service
  refuses any other item, so the delegation is exactly the catalog's 即办 list.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    APPLY = "cases.apply"
    WINDOW = "cases.window"
    REVIEW = "cases.review"
    INBOX = "cases.inbox"
    EXTEND = "cases.extend"
    VIEW = "cases.view"
    SWEEP = "cases.sweep"
    FIGURES = "cases.figures"
    DELIVER = "cases.deliver"
    DECIDE_AT_WINDOW = "cases.decide_at_window"


_NOT_YOUR_CENTRE = _("You do not work at the windows of this case's centre.")
_NOT_YOUR_DEPARTMENT = _("Not your department's case.")

RULES = Permissions(
    {
        Perm.APPLY: Rule(owner=True, denied=_("This is not your application.")),
        Perm.WINDOW: Rule(scoped={Role.WINDOW_CLERK, Role.HALL_MANAGER}, denied=_NOT_YOUR_CENTRE),
        Perm.REVIEW: Rule(scoped={Role.DEPARTMENT_APPROVER}, denied=_NOT_YOUR_DEPARTMENT),
        Perm.INBOX: Rule(
            scoped={Role.DEPARTMENT_APPROVER, Role.DEPARTMENT_HEAD},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_NOT_YOUR_DEPARTMENT,
        ),
        Perm.EXTEND: Rule(
            scoped={Role.DEPARTMENT_HEAD},
            denied=_("Only the head of the case's department approves an extension."),
        ),
        # Reading one case: its applicant, its centre's clerks, its department.
        Perm.VIEW: Rule(
            owner=True,
            scoped={
                Role.WINDOW_CLERK,
                Role.HALL_MANAGER,
                Role.DEPARTMENT_APPROVER,
                Role.DEPARTMENT_HEAD,
            },
            anywhere={Role.PLATFORM_ADMIN},
        ),
        Perm.SWEEP: Rule(system=True, anywhere={Role.PLATFORM_ADMIN}),
        # Handing a result over: the centre's windows, and its pickup locker (a hall device
        # of the centre) once the applicant opened their compartment.
        Perm.DELIVER: Rule(
            scoped={Role.WINDOW_CLERK, Role.HALL_MANAGER, Role.HALL_DEVICE},
            system=True,
            denied=_NOT_YOUR_CENTRE,
        ),
        # 当场办结: accept and decide a 即办 item at the window (the service checks the item).
        Perm.DECIDE_AT_WINDOW: Rule(
            scoped={Role.WINDOW_CLERK, Role.HALL_MANAGER}, denied=_NOT_YOUR_CENTRE
        ),
        # The figures of the department's cases: its head and approvers; the platform's.
        Perm.FIGURES: Rule(
            scoped={Role.DEPARTMENT_HEAD, Role.DEPARTMENT_APPROVER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("You may not read the figures of cases."),
        ),
    }
)
