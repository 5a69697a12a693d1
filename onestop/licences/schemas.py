"""The licences API's requests and answers, named with the `Licence` prefix. Answers carry
codes (statuses, results, reasons), not labels."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from onestop.licences.credentials import MAX_CREDENTIAL_CHARS


class LicenceVerifyIn(Schema):
    """Exactly one of the three."""

    credential: str | None = Field(
        None, max_length=MAX_CREDENTIAL_CHARS, description="an SD-JWT VC or a presentation"
    )
    qr: str | None = Field(None, max_length=MAX_CREDENTIAL_CHARS, description="a QR's text")
    identifier: str | None = Field(None, max_length=200, description="an e-licence identifier")


class LicenceFactsOut(Schema):
    """What the credential or the register says in clear: no personal data."""

    identifier: str
    type_code: str
    type_name: str
    number: str
    issuer_name: str
    issuer_code: str
    valid_from: date
    valid_until: date | None


class LicenceVerificationOut(Schema):
    result: str = Field(
        ...,
        description="valid, suspended, revoked, expired, tampered, unknown_issuer or unknown",
    )
    reason: str = Field("", description="which check decided, or the issuer's reason")
    identifier: str
    licence: LicenceFactsOut | None
    disclosed: dict[str, Any] = Field(..., description="the holder claims the holder disclosed")
    face: dict[str, Any] = Field(..., description="the face fields the holder disclosed")
    replaced_by: str


class LicencePresentIn(Schema):
    disclose: list[str] = Field(
        ...,
        max_length=50,
        description="the claims to show: holder_name, holder_code_type, holder_code, face.<key>",
    )
    lifetime: int = Field(..., description="seconds it is accepted: 3600, 86400 or 604800")


class LicencePresentationOut(Schema):
    presentation: str = Field(..., description="an SD-JWT VC with only the chosen claims")
    url: str = Field(..., description="the verification page with the presentation")
    disclosed: list[str]
    expires_at: datetime


class LicenceWalletOut(Schema):
    id: int
    identifier: str
    number: str
    type_code: str
    type_name: str
    status: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    credential: str = Field(..., description="the compact SD-JWT VC with every disclosure")
