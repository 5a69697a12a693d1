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


class ScopeKind(StrEnum):
    CENTRE = "centre"
    DEPARTMENT = "department"
    REGION = "region"
    GRID = "grid"


# What each role's assignment is scoped to. A role outside this table cannot be assigned.
ROLE_SCOPE: dict[str, ScopeKind] = {
    Role.WINDOW_CLERK: ScopeKind.CENTRE,
    Role.HALL_MANAGER: ScopeKind.CENTRE,
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


class ErrorCode(StrEnum):
    INVALID_PHONE = "invalid_phone"
    DUPLICATE_PERSON = "duplicate_person"
    DUPLICATE_ENTERPRISE = "duplicate_enterprise"
    BAD_CREDENTIALS = "bad_credentials"
    SIGNIN_THROTTLED = "signin_throttled"
    SMS_CODE_EXPIRED = "sms_code_expired"
    SMS_CODE_WRONG = "sms_code_wrong"
    SMS_CODE_TOO_SOON = "sms_code_too_soon"
    TOKEN_INVALID = "token_invalid"
    TOKEN_REVOKED = "token_revoked"
    TOKEN_EXPIRED = "token_expired"
    CARD_UNREADABLE = "card_unreadable"
    CARD_UNKNOWN = "card_unknown"
    ROLE_SCOPE_MISSING = "role_scope_missing"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
