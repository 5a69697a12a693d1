"""The licences' pages: public verification (paste a credential or a QR's text, or enter
an identifier) and the citizen's wallet; the published status lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from onestop.core.errors import DomainError, NotFound
from onestop.identity.actors import Citizen, optional_actor
from onestop.licences import selectors
from onestop.licences.enums import REASON_LABELS, RESULT_LABELS, VerifyResult

MAX_INPUT = 64 * 1024


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a licence: the answer says valid, suspended, revoked, expired, tampered,
    not ours or unknown, and shows only what the credential discloses."""
    source = request.POST if request.method == "POST" else request.GET
    text = source.get("credential", "").strip()[:MAX_INPUT]
    # A licence's QR opens this page with ?id=<identifier> (decision 0029).
    identifier = (source.get("identifier") or source.get("id") or "").strip()[:200]
    context: dict[str, Any] = {"text": text, "identifier": identifier}
    status = 200
    if text or identifier:
        try:
            if text:
                answer = selectors.licence_verify_qr(text)
            else:
                answer = selectors.licence_verify_identifier(identifier)
        except DomainError as exc:
            context["error"] = exc.message
            status = 422
        else:
            context.update(
                answer=answer,
                result_label=RESULT_LABELS[VerifyResult(answer.result)],
                reason_label=REASON_LABELS.get(answer.reason, answer.reason),
                ok=answer.result == VerifyResult.VALID,
            )
    return render(request, "licences/verify.html", context, status=status)


@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise PermissionDenied
    rows = [
        (licence, selectors.licence_effective_status(licence))
        for licence in selectors.licences_of_holder(actor)[:200]
    ]
    return render(request, "licences/wallet.html", {"rows": rows})


@require_GET
def wallet_licence(request: HttpRequest, licence_id: int) -> HttpResponse:
    """One licence of the wallet: its face, its QR for a verifier to scan, and its
    credential to copy into another wallet."""
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise PermissionDenied
    try:
        licence = selectors.access_licence(actor, licence_id)
    except NotFound:
        raise Http404 from None
    if licence.owner_person_id != actor.person_id:
        raise Http404
    context = {
        "licence": licence,
        "status": selectors.licence_effective_status(licence),
        "face": selectors.licence_face(licence),
        "qr": selectors.licence_qr_svg(licence),
        "verify_url": selectors.licence_verification_url(licence),
        "credential": selectors.licence_credential(licence),
    }
    return render(request, "licences/licence.html", context)


@require_GET
def status_list(request: HttpRequest, status_list_id: int) -> HttpResponse:
    try:
        token = selectors.status_list_token(status_list_id)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(token, content_type="application/statuslist+jwt")
    response["Cache-Control"] = f"public, max-age={settings.ONESTOP_LICENCE_STATUS_TTL}"
    return response
