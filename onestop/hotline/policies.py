"""Who may do what with the 12345 hotline (core.access). Deny by default.

- Take calls and register orders, answer consultations at once, make return visits: hotline
  agents (坐席), in the region they serve (the city's agents serve every district).
- Dispatch: the agent who took the call, and dispatchers (派单员) in their region, who also
  re-dispatch returned orders, approve extensions, close without a return visit and read
  the metrics.
- Handle an order (accept, return, ask the citizen, ask for more time, reply): the handlers
  of the department that holds it, and nobody else. They never see a report's informant.
- Configure lines, the taxonomy and the routing table: platform admins.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    TAKE = "hotline.take"
    DISPATCH = "hotline.dispatch"
    SUPERVISE = "hotline.supervise"
    HANDLE = "hotline.handle"
    READ = "hotline.read"
    REVEAL_CONTACT = "hotline.reveal_contact"
    RETURN_VISIT = "hotline.return_visit"
    METRICS = "hotline.metrics"
    CONFIGURE = "hotline.configure"
    SWEEP = "hotline.sweep"


RULES = Permissions(
    {
        Perm.TAKE: Rule(
            scoped={Role.HOTLINE_AGENT},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only hotline agents take calls for this area."),
        ),
        # The agent who took the call dispatches it at once; dispatchers re-dispatch
        # returned orders.
        Perm.DISPATCH: Rule(
            scoped={Role.HOTLINE_AGENT, Role.DISPATCHER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only the hotline's agents and dispatchers for this area dispatch."),
        ),
        # Extensions, closing without a return visit, the overdue lists.
        Perm.SUPERVISE: Rule(
            scoped={Role.DISPATCHER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only the hotline's dispatchers for this area decide this."),
        ),
        # A district bureau is a department of its own: scoping by department is enough.
        Perm.HANDLE: Rule(
            scoped={Role.DEPARTMENT_HANDLER},
            denied=_("This order is not your department's."),
        ),
        Perm.READ: Rule(
            scoped={Role.HOTLINE_AGENT, Role.DISPATCHER, Role.DEPARTMENT_HANDLER},
            anywhere={Role.PLATFORM_ADMIN},
        ),
        # The caller's full number: for agents and dispatchers calling back, never for the
        # department (it works with the masked one, or none).
        Perm.REVEAL_CONTACT: Rule(
            scoped={Role.HOTLINE_AGENT, Role.DISPATCHER},
            denied=_("Only the hotline's agents and dispatchers see a caller's number."),
        ),
        Perm.RETURN_VISIT: Rule(scoped={Role.HOTLINE_AGENT, Role.DISPATCHER}),
        Perm.METRICS: Rule(scoped={Role.DISPATCHER}, anywhere={Role.PLATFORM_ADMIN}),
        Perm.CONFIGURE: Rule(anywhere={Role.PLATFORM_ADMIN}, system=True),
        Perm.SWEEP: Rule(anywhere={Role.PLATFORM_ADMIN}, system=True),
    }
)
