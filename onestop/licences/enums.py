"""The vocabularies of e-licences (电子证照): who may hold a licence type, the levels of the
authorities that define and issue it, the kinds of face field, the holder's code types, the
licence's states and their moves (the LICENCE machine), the answers of verification and the
error codes.

A licence's life (docs/decisions/0028-e-licences.md):

    valid ─▶ suspended ─▶ valid            (暂扣 and its end)
      │          │
      ├──────────┴─▶ revoked                (吊销 / 注销, with a reason; final)
      ├─▶ superseded                        (renewed or changed: a new version replaces it)
      └─▶ expired ─▶ superseded             (past its validity; a renewal replaces it)
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.licences.models import Licence


class HolderCategory(models.TextChoices):
    """持证主体类别 (GB/T 36902)."""

    NATURAL_PERSON = "natural_person", _("Natural person")  # 自然人
    LEGAL_PERSON = "legal_person", _("Legal person")  # 法人
    OTHER = "other", _("Other organisation")  # 其他组织


class AuthorityLevel(models.TextChoices):
    """The level of the authority that defines or issues a licence type."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class FieldType(models.TextChoices):
    """What one named field of a licence's face (照面) holds."""

    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    NUMBER = "number", _("Number")
    CODE = "code", pgettext_lazy("kind of face field", "Code")


class HolderCodeType(models.TextChoices):
    """持证主体代码类型: the codes of GB/T 36903's code table used here."""

    RESIDENT_ID = "111", _("Resident ID number")  # 居民身份证
    USCC = "001", _("Unified social credit code")  # 统一社会信用代码


class LicenceStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("licence status", "Valid")
    SUSPENDED = "suspended", pgettext_lazy("licence status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("licence status", "Revoked")
    EXPIRED = "expired", pgettext_lazy("licence status", "Expired")
    SUPERSEDED = "superseded", pgettext_lazy("licence status", "Superseded")


S = LicenceStatus

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.VALID: frozenset({S.SUSPENDED, S.REVOKED, S.SUPERSEDED, S.EXPIRED}),
    S.SUSPENDED: frozenset({S.VALID, S.REVOKED, S.EXPIRED}),
    S.EXPIRED: frozenset({S.SUPERSEDED}),
    S.REVOKED: frozenset(),
    S.SUPERSEDED: frozenset(),
}


class LicenceAction(models.TextChoices):
    """What a licence's timeline records."""

    ISSUE = "issue", _("Licence issued")
    SUSPEND = "suspend", _("Licence suspended")
    REINSTATE = "reinstate", _("Suspension lifted")
    REVOKE = "revoke", _("Licence revoked")
    SUPERSEDE = "supersede", _("Replaced by a new version")
    EXPIRE = "expire", _("Licence expired")
    USE = "use", _("Used in a case instead of paper")
    READ = "read", _("Read by a department")


class TokenStatus(int, models.Choices):
    """The values of the IETF Token Status List (draft-ietf-oauth-status-list) that we use,
    two bits per licence."""

    VALID = 0x00, "VALID"
    INVALID = 0x01, "INVALID"
    SUSPENDED = 0x02, "SUSPENDED"


# Each licence status as the status list carries it. Expiry is in the credential's `exp`.
TOKEN_STATUS: dict[str, TokenStatus] = {
    S.VALID: TokenStatus.VALID,
    S.EXPIRED: TokenStatus.VALID,
    S.SUSPENDED: TokenStatus.SUSPENDED,
    S.REVOKED: TokenStatus.INVALID,
    S.SUPERSEDED: TokenStatus.INVALID,
}


class VerifyResult(StrEnum):
    """What verification answers: never one generic "invalid"."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    TAMPERED = "tampered"
    UNKNOWN_ISSUER = "unknown_issuer"
    UNKNOWN = "unknown"


RESULT_LABELS = {
    VerifyResult.VALID: _("Valid"),
    VerifyResult.SUSPENDED: _("Suspended by the issuer"),
    VerifyResult.REVOKED: _("Revoked by the issuer"),
    VerifyResult.EXPIRED: _("Expired"),
    VerifyResult.TAMPERED: _("Tampered: this is not the credential the issuer signed"),
    VerifyResult.UNKNOWN_ISSUER: _("Not issued by this platform"),
    VerifyResult.UNKNOWN: _("No such licence"),
}

# What each reason of a verification means, for the page.
REASON_LABELS = {
    "superseded": _("A renewed or changed licence replaces it."),
    "valid_until": _("Its validity has ended."),
    "exp": _("Its validity has ended."),
    "not_yet_valid": _("Its validity has not started yet."),
    "malformed": _("The text is not a whole credential: part of it may be missing."),
    "algorithm_not_allowed": _("It is not signed with the issuer's algorithm (ES256)."),
    "wrong_type": _("It is not an SD-JWT verifiable credential."),
    "signature": _("The signature does not match its content."),
    "disclosure": _("A disclosed field does not match what the issuer signed."),
    "claims": _("Its content does not match the licence on record."),
    "identifier": _("Its identifier is not valid."),
    "issuer": _("Another issuer's credential or code."),
    "key": _("Signed with a key this platform has never published."),
    "not_issued": _("No licence with this identifier has been issued here."),
    "presentation_expired": _("The holder's presentation has expired: ask for a new one."),
}


class ErrorCode(StrEnum):
    LICENCE_NOT_FOUND = "licence_not_found"
    LICENCE_TYPE_NOT_FOUND = "licence_type_not_found"
    INVALID_IDENTIFIER = "invalid_licence_identifier"
    INVALID_TYPE_CODE = "invalid_licence_type_code"
    INVALID_LAYOUT = "invalid_face_layout"
    INVALID_FACE = "invalid_face_fields"
    INVALID_VALIDITY = "invalid_validity"
    INVALID_REASON = "invalid_reason"
    HOLDER_MISMATCH = "holder_mismatch"
    TYPE_EXISTS = "licence_type_exists"
    KEYSTORE_READ_ONLY = "keystore_read_only"
    KEY_MISSING = "signing_key_missing"
    VERIFY_INPUT = "verify_input"
    # Reuse instead of paper (用证) and reading by a department (decision 0036).
    LICENCE_NOT_USABLE = "licence_not_usable"
    LICENCE_NOT_HOLDERS = "licence_not_applicants"
    LICENCE_WRONG_TYPE = "licence_type_not_accepted"
    OUTSIDE_FUNCTION = "outside_legal_function"
    USE_CODE_INVALID = "use_code_invalid"
    USE_CODE_EXPIRED = "use_code_expired"
    USE_CODE_USED = "use_code_used"
    USE_CODE_MINUTES = "use_code_minutes"
    INVALID_PRESENTATION = "invalid_presentation"


def licence_summary(licence: Licence) -> dict[str, Any]:
    """What the audit log keeps of a licence: no personal data."""
    return {
        "identifier": licence.identifier,
        "type_code": licence.licence_type_code,
        "status": licence.status,
        "department_id": licence.department_id,
        "status_index": licence.status_index,
    }


def _timeline(entry: TimelineEntry[Licence]) -> None:
    # Imported here: the models import this module.
    from onestop.licences.models import LicenceEvent

    LicenceEvent.objects.create(
        licence=entry.row,
        action=entry.action,
        from_status=entry.from_state,
        to_status=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        at=entry.at,
        note=entry.reason,
        detail=dict(entry.detail),
    )


def _describe(licence: Licence) -> str:
    return gettext("Licence %(number)s") % {"number": licence.number}


# Every change of a licence's status goes through this machine (core.workflow): the table is
# checked, the row claimed by a conditional UPDATE, and the licence's timeline and the audit
# entry `licences.licence.<action>` written in the service's transaction.
LICENCE: StateMachine[Licence] = StateMachine(
    entity="licences.licence",
    states=LicenceStatus,
    transitions=ALLOWED_TRANSITIONS,
    summary=licence_summary,
    timeline=_timeline,
    field="status",
    describe=_describe,
)
