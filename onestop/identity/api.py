"""The identity API, mounted at /api/v1/identity/. Each operation parses, calls one service
or selector and shapes the answer; errors are DomainErrors, turned into problem+json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from onestop.core.access import Role, roles_of
from onestop.core.openapi import problems
from onestop.identity import selectors, services
from onestop.identity.actors import request_actor
from onestop.identity.api_auth import api_auth
from onestop.identity.enums import RevealField
from onestop.identity.models import ApiToken, Person
from onestop.identity.schemas import (
    CitizenTokenIn,
    MeOut,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    SmsCodeRequestedOut,
    SmsCodeRequestIn,
    TokenIn,
    TokenIssuedOut,
    TokenOut,
)

# Authentication is declared on each operation, so the schema and the deny-by-default test
# see it where it applies.
router = Router(tags=["identity"])


def _person(person: Person) -> dict[str, Any]:
    # The public id: database keys stay internal, so persons cannot be counted through.
    return {
        "id": person.public_id,
        "name": person.name,
        "sex": person.sex,
        "id_number_masked": person.id_number_masked,
        "phone_masked": person.phone_masked,
        "social_security_no_masked": person.social_security_no_masked,
        "real_name_level": person.real_name_level,
    }


def _token(token: ApiToken, plaintext: str | None = None) -> dict[str, Any]:
    body = {
        "id": token.pk,
        "user_id": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }
    if plaintext is not None:
        body["token"] = plaintext
    return body


@router.post(
    "/signin/sms-code",
    auth=None,
    response={202: SmsCodeRequestedOut},
    openapi_extra=problems(429),
)
def request_sms_code(request: HttpRequest, payload: SmsCodeRequestIn) -> Status[dict[str, Any]]:
    """Send a one-time sign-in code. The answer is the same whether or not the number is
    registered."""
    sent = services.signin_sms_code_request(phone=payload.phone, language=payload.language)
    return Status(
        202,
        {
            "detail": _("If this number belongs to an account, a code is on its way."),
            "expires_in": sent.expires_in,
            "resend_after": sent.resend_after,
        },
    )


@router.post(
    "/signin/token", auth=None, response={201: TokenIssuedOut}, openapi_extra=problems(401, 429)
)
def citizen_token(request: HttpRequest, payload: CitizenTokenIn) -> Status[dict[str, Any]]:
    """A partner channel signs a citizen in with the code from /signin/sms-code and gets a
    bearer token for them, valid for ONESTOP_CITIZEN_TOKEN_DAYS. Wrong, used or expired
    codes are refused as on the sign-in page, with the same throttles."""
    token, plaintext = services.citizen_token_issue(
        phone=payload.phone, code=payload.code, channel=payload.channel
    )
    return Status(201, _token(token, plaintext))


@router.get("/me", auth=api_auth, response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request_actor(request)
    return {
        "id": user.pk,
        "username": user.username,
        "kind": user.kind,
        "display_name": str(user),
        "is_platform_admin": Role.PLATFORM_ADMIN in roles_of(user),
        "roles": [
            {
                "id": a.pk,
                "role": a.role,
                "label": str(Role(a.role).label),
                "department_id": a.department_id,
                "region_id": a.region_id,
                "centre_id": a.centre_id,
                "grid_id": a.grid_id,
            }
            for a in selectors.staff_home_roles(user)
        ],
        "person": _person(user.person) if user.person is not None else None,
    }


@router.post("/persons", auth=api_auth, response={201: PersonOut})
def register_person(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    person = services.person_register(
        actor=request_actor(request),
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        social_security_no=payload.social_security_no,
    )
    return Status(201, _person(person))


class RevealQuery(Schema):
    reveal: RevealField | None = None
    reason: str = Field("", max_length=500)


@router.get(
    "/persons/{person_id}",
    auth=api_auth,
    response=PersonDetailOut,
    openapi_extra=problems(429),
)
def get_person(request: HttpRequest, person_id: str, query: Query[RevealQuery]) -> dict[str, Any]:
    """A person by their public id, masked. With `reveal` (and a `reason`), one identifier
    in full, for a role that needs it and a purpose the platform can check (the person's
    ticket at the caller's window, a case the caller holds, their own record); the access
    is audited and rate-limited per caller."""
    actor = request_actor(request)
    person = selectors.access_person_public(actor, person_id)
    body = _person(person)
    if query.reveal is not None:
        revealed = services.person_reveal_for(
            actor=actor, person_id=person.pk, field=query.reveal.value, reason=query.reason
        )
        body["revealed_field"] = query.reveal.value
        body["revealed_value"] = revealed.value
        body["revealed_for"] = revealed.purpose.kind
    return body


@router.get("/tokens", auth=api_auth, response=list[TokenOut], openapi_extra=problems(404))
def list_tokens(request: HttpRequest, user_id: int | None = None) -> list[dict[str, Any]]:
    tokens = selectors.api_token_list(actor=request_actor(request), user_id=user_id)
    return [_token(token) for token in tokens[:200]]


@router.post("/tokens", auth=api_auth, response={201: TokenIssuedOut}, openapi_extra=problems(404))
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    owner = selectors.access_token_owner(actor, payload.user_id or actor.pk)
    token, plaintext = services.api_token_issue(
        actor=actor, user=owner, name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, _token(token, plaintext))


@router.post("/tokens/{token_id}/rotate", auth=api_auth, response={201: TokenIssuedOut})
def rotate_token(request: HttpRequest, token_id: int) -> Status[dict[str, Any]]:
    token, plaintext = services.api_token_rotate(actor=request_actor(request), token_id=token_id)
    return Status(201, _token(token, plaintext))


@router.delete("/tokens/{token_id}", auth=api_auth, response={204: None})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request_actor(request), token_id=token_id)
    return Status(204, None)
