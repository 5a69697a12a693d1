from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    MACHINE = "machine", _("Machine client")


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    DEPARTMENT_APPROVER = "department_approver", _("Department approver")
    HOTLINE_AGENT = "hotline_agent", _("Hotline agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    GRID_WORKER = "grid_worker", _("Grid worker")
    GRID_MANAGER = "grid_manager", _("Grid manager")
    DATA_STEWARD = "data_steward", _("Data steward")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    # A kiosk or call-board screen in a hall signs in as a device of its centre.
    HALL_DEVICE = "hall_device", _("Hall device")


class ScopeKind(StrEnum):
    CENTRE = "centre"
    DEPARTMENT = "department"
    REGION = "region"
    GRID = "grid"


# What each role's assignment is scoped to. A role outside this table cannot be assigned.
ROLE_SCOPE: dict[str, ScopeKind] = {
    Role.WINDOW_CLERK: ScopeKind.CENTRE,
    Role.HALL_MANAGER: ScopeKind.CENTRE,
    Role.HALL_DEVICE: ScopeKind.CENTRE,
    Role.DEPARTMENT_APPROVER: ScopeKind.DEPARTMENT,
    Role.DEPARTMENT_HANDLER: ScopeKind.DEPARTMENT,
    Role.DATA_STEWARD: ScopeKind.DEPARTMENT,
    Role.HOTLINE_AGENT: ScopeKind.REGION,
    Role.DISPATCHER: ScopeKind.REGION,
    Role.GRID_MANAGER: ScopeKind.REGION,
    Role.PLATFORM_ADMIN: ScopeKind.REGION,
    Role.GRID_WORKER: ScopeKind.GRID,
}


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class RealNameLevel(models.IntegerChoices):
    UNVERIFIED = 0, _("Unverified")
    ID_CHECKED = 1, _("ID number checked")
    COUNTER_VERIFIED = 2, _("Verified at a counter")


class SignInMethod(StrEnum):
    PASSWORD = "password"  # noqa: S105 - a method name, not a password
    SMS_CODE = "sms_code"
    CARD = "card"


class RevealField(StrEnum):
    """The protected identifiers of a Person that a reveal may ask for."""

    ID_NUMBER = "id_number"
    PHONE = "phone"
    SOCIAL_SECURITY_NO = "social_security_no"


class ErrorCode(StrEnum):
    INVALID_PHONE = "invalid_phone"
    INVALID_NAME = "invalid_name"
    INVALID_SOCIAL_SECURITY_NO = "invalid_social_security_no"
    INVALID_REAL_NAME_LEVEL = "invalid_real_name_level"
    DUPLICATE_PERSON = "duplicate_person"
    DUPLICATE_PHONE = "duplicate_phone"
    DUPLICATE_SOCIAL_SECURITY_NO = "duplicate_social_security_no"
    DUPLICATE_ENTERPRISE = "duplicate_enterprise"
    PERSON_HAS_ACCOUNT = "person_has_account"
    INVALID_USERNAME = "invalid_username"
    DUPLICATE_USERNAME = "duplicate_username"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - an error code, not a password
    NOT_STAFF_ACCOUNT = "not_staff_account"
    UNKNOWN_ROLE = "unknown_role"
    DUPLICATE_ROLE_ASSIGNMENT = "duplicate_role_assignment"
    ROLE_ASSIGNMENT_NOT_FOUND = "role_assignment_not_found"
    REVEAL_FIELD_UNKNOWN = "reveal_field_unknown"
    REVEAL_REASON_REQUIRED = "reveal_reason_required"
    REVEAL_PURPOSE_MISSING = "reveal_purpose_missing"
    REVEAL_RATE_LIMITED = "reveal_rate_limited"
    TOKEN_NOT_FOUND = "token_not_found"  # noqa: S105 - an error code
    INVALID_TOKEN_EXPIRY = "invalid_token_expiry"  # noqa: S105 - an error code
    CSRF_FAILED = "csrf_failed"
    BAD_CREDENTIALS = "bad_credentials"
    SIGNIN_THROTTLED = "signin_throttled"
    SMS_CODE_EXPIRED = "sms_code_expired"
    SMS_CODE_WRONG = "sms_code_wrong"
    SMS_CODE_TOO_SOON = "sms_code_too_soon"
    SMS_CODE_LIMIT = "sms_code_limit"
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - an error code
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an error code
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - an error code
    CARD_UNREADABLE = "card_unreadable"
    CARD_UNKNOWN = "card_unknown"
    ROLE_SCOPE_MISSING = "role_scope_missing"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
