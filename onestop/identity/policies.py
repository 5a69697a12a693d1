"""Who may do what with identities, as a table over the platform's roles (core.access).

People are served anywhere in the city (全城通办): any hall, the hotline, any department's
approval may look a person up, so those roles hold person permissions `anywhere`. Only the
grid roles are bound to where a person lives. A person sees, and may unmask, their own
identifiers; an account manages its own API tokens.

Unmasking other people's identifiers stays with the roles whose work needs it; platform admins
manage staff, roles and tokens and read the audit log, but do not unmask.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Permission(StrEnum):
    PERSON_REGISTER = "person.register"
    PERSON_REGISTER_FROM_CARD = "person.register_from_card"
    PERSON_VIEW = "person.view"
    PERSON_UPDATE_CONTACT = "person.update_contact"
    PERSON_SET_REAL_NAME_LEVEL = "person.set_real_name_level"
    PERSON_REVEAL_ID_NUMBER = "person.reveal_id_number"
    PERSON_REVEAL_PHONE = "person.reveal_phone"
    PERSON_REVEAL_SOCIAL_SECURITY_NO = "person.reveal_social_security_no"
    ENTERPRISE_REGISTER = "enterprise.register"
    ENTERPRISE_VIEW = "enterprise.view"
    STAFF_MANAGE = "staff.manage"
    TOKEN_MANAGE = "token.manage"  # noqa: S105 - a permission name
    AUDIT_READ = "audit.read"


P = Permission
R = Role

# Roles that look people up in the course of their work, wherever the person lives.
_SERVES_PEOPLE = frozenset(
    {
        R.WINDOW_CLERK,
        R.HALL_MANAGER,
        R.DEPARTMENT_APPROVER,
        R.HOTLINE_AGENT,
        R.DISPATCHER,
        R.DEPARTMENT_HANDLER,
        R.DATA_STEWARD,
        R.PLATFORM_ADMIN,
    }
)
# At the counter the clerk checks the card against the person in front of them; approving an
# application means checking the applicant's identifiers; stewards verify records.
_UNMASKS = frozenset({R.WINDOW_CLERK, R.DEPARTMENT_APPROVER, R.DATA_STEWARD})

RULES = Permissions(
    {
        P.PERSON_REGISTER: Rule(anywhere={R.WINDOW_CLERK, R.PLATFORM_ADMIN}),
        # In a hall the card is the identity (一卡): a card read at a kiosk or a window
        # registers a person seen for the first time, from what the card itself holds.
        P.PERSON_REGISTER_FROM_CARD: Rule(
            anywhere={R.HALL_DEVICE, R.WINDOW_CLERK, R.HALL_MANAGER},
            denied=_("Only a hall's kiosk or its staff register a person from a card."),
        ),
        # Grid workers get person access with the grid app, which knows which grid a person
        # lives in; grid managers see the people of their region.
        P.PERSON_VIEW: Rule(anywhere=_SERVES_PEOPLE, scoped={R.GRID_MANAGER}, owner=True),
        P.PERSON_UPDATE_CONTACT: Rule(anywhere={R.WINDOW_CLERK}),
        P.PERSON_SET_REAL_NAME_LEVEL: Rule(anywhere={R.WINDOW_CLERK}),
        P.PERSON_REVEAL_ID_NUMBER: Rule(anywhere=_UNMASKS, owner=True),
        # An agent calls people back, so the phone number, and nothing more.
        P.PERSON_REVEAL_PHONE: Rule(anywhere={*_UNMASKS, R.HOTLINE_AGENT}, owner=True),
        P.PERSON_REVEAL_SOCIAL_SECURITY_NO: Rule(anywhere=_UNMASKS, owner=True),
        P.ENTERPRISE_REGISTER: Rule(anywhere={R.WINDOW_CLERK, R.PLATFORM_ADMIN}),
        P.ENTERPRISE_VIEW: Rule(
            anywhere={
                R.WINDOW_CLERK,
                R.HALL_MANAGER,
                R.DEPARTMENT_APPROVER,
                R.DEPARTMENT_HANDLER,
                R.DATA_STEWARD,
                R.PLATFORM_ADMIN,
            }
        ),
        P.STAFF_MANAGE: Rule(
            anywhere={R.PLATFORM_ADMIN}, denied=_("Only a platform admin manages staff.")
        ),
        # Citizens included: they see and revoke the tokens their channels hold.
        P.TOKEN_MANAGE: Rule(anywhere={R.PLATFORM_ADMIN}, owner=True),
        P.AUDIT_READ: Rule(anywhere={R.DATA_STEWARD, R.PLATFORM_ADMIN}),
    }
)

REVEAL_PERMISSION: dict[str, Permission] = {
    "id_number": P.PERSON_REVEAL_ID_NUMBER,
    "phone": P.PERSON_REVEAL_PHONE,
    "social_security_no": P.PERSON_REVEAL_SOCIAL_SECURITY_NO,
}
