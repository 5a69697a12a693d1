"""The licences API's requests and answers, named with the `Licence` prefix. Answers carry
codes (statuses, results, reasons), not labels."""

from __future__ import annotations

from datetime import date
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
