"""The licences API, mounted at /api/v1/licences/.

Verification is public: anyone holding a credential, a QR or an identifier may check it, and
the answer shows only what the credential carries in clear and what its holder disclosed.
The wallet (`mine`) is the signed-in holder's own licences with their credentials.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from onestop.core.openapi import problems
from onestop.identity.actors import request_actor
from onestop.identity.api_auth import api_auth
from onestop.licences import selectors
from onestop.licences.models import Licence
from onestop.licences.schemas import LicenceVerificationOut, LicenceVerifyIn, LicenceWalletOut

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
