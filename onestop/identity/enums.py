from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    MACHINE = "machine", _("Machine client")
    # A kiosk or call-board screen: signs in like staff, acts only as its centre's device.
    DEVICE = "device", _("Hall device")


# Kinds of account that hold role assignments.
STAFF_KINDS = frozenset({AccountKind.STAFF, AccountKind.DEVICE})


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
    CARD_REGISTRATIONS_THROTTLED = "card_registrations_throttled"
    ROLE_SCOPE_MISSING = "role_scope_missing"
    NOT_ALLOWED = "not_allowed"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_FOUND = "not_found"
