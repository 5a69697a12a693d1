"""The licences API, mounted at /api/v1/licences/.

Verification is public: anyone holding a credential, a QR or an identifier may check it, and
the answer shows only what the credential carries in clear and what its holder disclosed.
The wallet (`mine`) is the signed-in holder's own licences with their credentials.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from onestop.core.openapi import problems
from onestop.identity.actors import request_actor
from onestop.identity.api_auth import api_auth
from onestop.licences import selectors, services
from onestop.licences.models import Licence
from onestop.licences.schemas import (
    LicencePresentationOut,
    LicencePresentIn,
    LicenceVerificationOut,
    LicenceVerifyIn,
    LicenceWalletOut,
)

router = Router(tags=["licences"], auth=api_auth)


def verification_out(answer: selectors.Verification) -> dict[str, Any]:
    return {
        "result": str(answer.result),
        "reason": answer.reason,
        "identifier": answer.identifier,
        "licence": answer.licence or None,
        "disclosed": answer.disclosed,
        "face": answer.face,
        "replaced_by": answer.replaced_by,
    }


@router.post("/verify", response=LicenceVerificationOut, auth=None)
def verify_licence(request: HttpRequest, payload: LicenceVerifyIn) -> dict[str, Any]:
    """Check an e-licence. A malformed identifier is a 422 (`invalid_licence_identifier`,
    with the reason); everything else is an answer: valid, suspended, revoked (a renewed or
    changed licence is revoked with reason `superseded` and `replaced_by`), expired,
    tampered (malformed, algorithm_not_allowed, wrong_type, signature, disclosure, claims),
    unknown_issuer (issuer, key) or unknown (not_issued)."""
    answer = selectors.licence_verify(
        credential=payload.credential, qr=payload.qr, identifier=payload.identifier
    )
    return verification_out(answer)


def wallet_row(licence: Licence) -> dict[str, Any]:
    return {
        "id": licence.pk,
        "identifier": licence.identifier,
        "number": licence.number,
        "type_code": licence.licence_type_code,
        "type_name": licence.licence_type.name,
        "status": selectors.licence_effective_status(licence),
        "issued_on": licence.issued_on,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "credential": selectors.licence_credential(licence),
    }


@router.get("/mine", response=list[LicenceWalletOut], openapi_extra=problems(403))
def my_licences(request: HttpRequest) -> list[dict[str, Any]]:
    """The signed-in holder's licences (and their enterprises'), each with its credential."""
    return [wallet_row(licence) for licence in selectors.licences_of_holder(request_actor(request))]


@router.post(
    "/mine/{licence_id}/presentations",
    response={201: LicencePresentationOut},
    openapi_extra=problems(403, 404, 422),
)
def present_licence(request: HttpRequest, licence_id: int, payload: LicencePresentIn) -> Status:
    """A presentation of one of the holder's licences with only the chosen claims, accepted
    for the chosen time (decision 0037); `invalid_presentation` when none or an unknown one
    is chosen, or another lifetime. Nothing is kept but the audit entry."""
    presented = services.licence_present(
        actor=request_actor(request),
        licence_id=licence_id,
        disclose=payload.disclose,
        lifetime=payload.lifetime,
    )
    return Status(
        201,
        {
            "presentation": presented.text,
            "url": presented.url,
            "disclosed": list(presented.disclosed),
            "expires_at": presented.expires_at,
        },
    )
