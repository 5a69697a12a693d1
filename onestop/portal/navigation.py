"""Who sees which links: one table from each role to the sections it works in.

A role's first entry is its home, a panel on the staff home page that states the role's
scope and duties. The other entries are the tools the role can use today. When an app ships
a role's console (the hall's window console, the hotline's agent console, ...), its entry is
added here, next to the role's home, and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core.access import Role

STAFF_HOME = "portal:staff_home"


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    # A URL name ("portal:audit_log") or a path ("/admin/"). An entry whose URL name does
    # not resolve is left out, so the table may name pages that an installation lacks.
    target: str
    fragment: str = ""
    # Shown only to accounts that may open the Django admin (User.is_staff).
    needs_admin_site: bool = False


def role_anchor(role: str) -> str:
    return f"role-{role}"


def _role_home(role: Role) -> NavEntry:
    return NavEntry(role.label, STAFF_HOME, fragment=role_anchor(role.value))


_AUDIT_LOG = NavEntry(_("Audit log"), "portal:audit_log")
_HALL_STATISTICS = NavEntry(_("Hall statistics"), "hall_statistics:index")
_WINDOW_CONSOLE = NavEntry(_("Window console"), "hall:console")
_TICKET_KIOSK = NavEntry(_("Ticket kiosk"), "hall:kiosk")
_APPLICATION_AT_WINDOW = NavEntry(_("Application at the window"), "cases:window_start")
_ISSUANCE_WINDOW = NavEntry(_("Issuance window"), "delivery:window")
_CASE_INBOX = NavEntry(_("Case inbox"), "cases:inbox")
_CASE_FIGURES = NavEntry(_("Figures of cases"), "cases:figures")
_LICENCE_LOOKUP = NavEntry(_("Look up e-licences"), "licences:lookup")
_CALL_CONSOLE = NavEntry(_("12345 call console"), "hotline:console")
_DISPATCH_QUEUE = NavEntry(_("Dispatch queue"), "hotline:queue")
_HOTLINE_FIGURES = NavEntry(_("12345 figures"), "hotline:metrics")

ROLE_NAVIGATION: dict[Role, tuple[NavEntry, ...]] = {
    Role.WINDOW_CLERK: (
        _role_home(Role.WINDOW_CLERK),
        _WINDOW_CONSOLE,
        _APPLICATION_AT_WINDOW,
        _ISSUANCE_WINDOW,
    ),
    Role.HALL_MANAGER: (
        _role_home(Role.HALL_MANAGER),
        _HALL_STATISTICS,
        _WINDOW_CONSOLE,
        _APPLICATION_AT_WINDOW,
        _TICKET_KIOSK,
        NavEntry(_("Rating follow-ups"), "ratings:follow_up_list"),
    ),
    Role.DEPARTMENT_APPROVER: (
        _role_home(Role.DEPARTMENT_APPROVER),
        _CASE_INBOX,
        _CASE_FIGURES,
        _LICENCE_LOOKUP,
    ),
    Role.DEPARTMENT_HEAD: (
        _role_home(Role.DEPARTMENT_HEAD),
        _CASE_INBOX,
        _CASE_FIGURES,
        _LICENCE_LOOKUP,
    ),
    Role.HOTLINE_AGENT: (_role_home(Role.HOTLINE_AGENT), _CALL_CONSOLE),
    Role.DISPATCHER: (_role_home(Role.DISPATCHER), _DISPATCH_QUEUE, _HOTLINE_FIGURES),
    Role.DEPARTMENT_HANDLER: (
        _role_home(Role.DEPARTMENT_HANDLER),
        NavEntry(_("Work-order inbox"), "hotline:inbox"),
    ),
    Role.GRID_WORKER: (_role_home(Role.GRID_WORKER),),
    Role.GRID_MANAGER: (_role_home(Role.GRID_MANAGER),),
    Role.HALL_DEVICE: (
        _role_home(Role.HALL_DEVICE),
        _TICKET_KIOSK,
        NavEntry(_("Pickup locker"), "delivery:locker"),
    ),
    Role.DATA_STEWARD: (_role_home(Role.DATA_STEWARD), _AUDIT_LOG),
    Role.PLATFORM_ADMIN: (
        _role_home(Role.PLATFORM_ADMIN),
        NavEntry(_("Reference data (admin site)"), "admin:index", needs_admin_site=True),
        NavEntry(
            _("Working-day calendar overrides"),
            "admin:core_calendaroverride_changelist",
            needs_admin_site=True,
        ),
        _AUDIT_LOG,
        _HALL_STATISTICS,
        _CASE_INBOX,
        _CASE_FIGURES,
        _HOTLINE_FIGURES,
    ),
}

ANONYMOUS_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "portal:home"),
    NavEntry(_("Citizen sign-in"), "identity:citizen_login"),
    NavEntry(_("Staff sign-in"), "identity:login"),
    NavEntry(_("Check a licence"), "licences:verify"),
)

CITIZEN_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "portal:home"),
    NavEntry(_("Book an appointment"), "appointments:book"),
    NavEntry(_("My bookings"), "appointments:mine"),
    NavEntry(_("My applications"), "cases:mine"),
    NavEntry(_("My licences"), "licences:wallet"),
    NavEntry(_("My account"), "portal:account"),
)

STAFF_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "portal:home"),
    NavEntry(_("Staff home"), STAFF_HOME),
)

# What each role does, shown on its panel of the staff home.
ROLE_DUTIES: dict[Role, str | Promise] = {
    Role.WINDOW_CLERK: _(
        "Calls the next number at an integrated service window, checks and accepts "
        "applications for every department's service items, and hands out results."
    ),
    Role.HALL_MANAGER: _(
        "Opens and closes the windows of a service hall, keeps the window staff's profiles "
        "up to date and watches waiting times."
    ),
    Role.DEPARTMENT_APPROVER: _(
        "Reviews the applications accepted for the department, approves or refuses them "
        "within the legal deadline, and asks for corrections when materials are incomplete."
    ),
    Role.DEPARTMENT_HEAD: _(
        "Leads the department's approval work: sees every case the department holds and "
        "decides on requests to extend a case's legal time limit."
    ),
    Role.HOTLINE_AGENT: _(
        "Answers requests that reach the 12345 hotline by phone and every other channel, "
        "replies from the knowledge base, and records a work order when a department has "
        "to act."
    ),
    Role.DISPATCHER: _(
        "Sends 12345 work orders to the department responsible, watches their deadlines "
        "and decides on orders that are returned or disputed."
    ),
    Role.DEPARTMENT_HANDLER: _(
        "Accepts the work orders dispatched to the department, handles them and replies "
        "to the requester, or returns an order that belongs elsewhere."
    ),
    Role.GRID_WORKER: _(
        "Patrols the grid, reports and follows up events, and keeps the grid's base data "
        "on residents, buildings and businesses current."
    ),
    Role.GRID_MANAGER: _(
        "Oversees the grids of the region and their workers, assigns and escalates events, "
        "and checks that they are closed in time."
    ),
    Role.DATA_STEWARD: _(
        "Publishes the department's shared datasets, grants other departments access to "
        "them, and reads the audit log of who used what."
    ),
    Role.HALL_DEVICE: _(
        "A self-service kiosk or call board of a service hall: issues queue numbers, checks "
        "in appointments and shows the calls. It holds no one's personal data."
    ),
    Role.PLATFORM_ADMIN: _(
        "Maintains the platform's reference data (departments, regions, the working-day "
        "calendar, staff roles) and reads the audit log."
    ),
}
