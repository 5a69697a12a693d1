"""The identity API's request and response bodies. Personal identifiers go out masked;
a revealed value appears only in the field the caller asked to reveal."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class SmsCodeRequestIn(Schema):
    phone: str = Field(..., max_length=32, examples=["13800138000"])
    language: str = Field("zh-hans", max_length=10)


class SmsCodeRequestedOut(Schema):
    detail: str
    expires_in: int = Field(..., description="seconds the code stays valid")
    resend_after: int = Field(..., description="seconds before another code may be requested")


class CitizenTokenIn(Schema):
    phone: str = Field(..., max_length=32, examples=["13800138000"])
    code: str = Field(..., max_length=12, description="the code sent by /signin/sms-code")
    channel: str = Field(
        ..., max_length=100, description="who asks, shown to the citizen", examples=["穗好办"]
    )


class RoleOut(Schema):
    id: int
    role: str
    label: str
    department_id: int | None
    region_id: int | None
    centre_id: int | None
    grid_id: int | None


class PersonOut(Schema):
    id: str = Field(..., description="the person's public id")
    name: str
    sex: str
    id_number_masked: str
    phone_masked: str
    social_security_no_masked: str
    real_name_level: int


class PersonDetailOut(PersonOut):
    revealed_field: str | None = Field(None, description="the field shown in full, if any")
    revealed_value: str | None = None
    revealed_for: str | None = Field(None, description="the purpose the value was shown for")


class MeOut(Schema):
    id: int
    username: str
    kind: str
    display_name: str
    is_platform_admin: bool
    roles: list[RoleOut]
    person: PersonOut | None


class PersonIn(Schema):
    name: str = Field(..., max_length=60)
    id_number: str = Field(..., max_length=32)
    phone: str | None = Field(None, max_length=32)
    social_security_no: str | None = Field(None, max_length=32)


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
    user_id: int | None = Field(None, description="whose token; yourself when left out")
    expires_at: datetime | None = None


class TokenOut(Schema):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssuedOut(TokenOut):
    token: str = Field(..., description="shown once; only its hash is kept")
