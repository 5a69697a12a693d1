"""Every write of the identity app. Import from here: `from onestop.identity.services import
person_register`."""

from onestop.identity.services.accounts import (
    account_set_active,
    citizen_account_create,
    machine_account_create,
    staff_create,
)
from onestop.identity.services.cards import (
    CardHolder,
    person_from_card,
    person_identify_by_card,
    person_register_from_card,
)
from onestop.identity.services.enterprises import enterprise_register
from onestop.identity.services.persons import (
    person_register,
    person_set_real_name_level,
    person_update_contact,
)
from onestop.identity.services.reveal import Revealed, person_reveal, person_reveal_for
from onestop.identity.services.roles import RoleGrant, role_assign, role_revoke, role_scope_check
from onestop.identity.services.signin import (
    SmsCodeRequested,
    signin_citizen_password,
    signin_password,
    signin_sms_code,
    signin_sms_code_request,
    signout,
)
from onestop.identity.services.throttle import signin_failures_purge
from onestop.identity.services.tokens import (
    api_token_authenticate,
    api_token_issue,
    api_token_revoke,
    api_token_rotate,
    citizen_token_issue,
)

__all__ = [
    "CardHolder",
    "Revealed",
    "RoleGrant",
    "SmsCodeRequested",
    "account_set_active",
    "api_token_authenticate",
    "api_token_issue",
    "api_token_revoke",
    "api_token_rotate",
    "citizen_account_create",
    "citizen_token_issue",
    "enterprise_register",
    "machine_account_create",
    "person_from_card",
    "person_identify_by_card",
    "person_register",
    "person_register_from_card",
    "person_reveal",
    "person_reveal_for",
    "person_set_real_name_level",
    "person_update_contact",
    "role_assign",
    "role_revoke",
    "role_scope_check",
    "signin_citizen_password",
    "signin_failures_purge",
    "signin_password",
    "signin_sms_code",
    "signin_sms_code_request",
    "signout",
    "staff_create",
]
