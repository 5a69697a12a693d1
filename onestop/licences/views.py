"""The licences' pages: public verification (paste a credential or a QR's text, or enter
an identifier) and the citizen's wallet; the published status lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.core.errors import DomainError, NotFound
from onestop.core.i18n import translate_text
from onestop.identity.actors import Citizen, optional_actor
from onestop.licences import selectors, services
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
    upload = request.FILES.get("printout") if request.method == "POST" else None
    if upload is not None and not (text or identifier):
        # A printout's QR text is in its metadata (decision 0037); a scan or another
        # document has none, and the page says to scan its code instead.
        data = upload.read(selectors.MAX_PRINTOUT_BYTES + 1)
        text = "" if len(data) > selectors.MAX_PRINTOUT_BYTES else selectors.printout_qr_text(data)
        if not text:
            context["error"] = _(
                "No licence code was found in this file. Upload the PDF printout of an "
                "e-licence, or scan its QR code with the camera."
            )
            status = 422
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
                disclosed=_disclosed_rows(answer),
                answer=answer,
                result_label=RESULT_LABELS[VerifyResult(answer.result)],
                reason_label=REASON_LABELS.get(answer.reason, answer.reason),
                ok=answer.result == VerifyResult.VALID,
            )
    return render(request, "licences/verify.html", context, status=status)


def _holder_claim_labels() -> dict[str, str]:
    return {
        "holder_name": _("Holder's name"),
        "holder_code_type": _("Kind of holder code"),
        "holder_code": _("Holder code"),
    }


def _disclosed_rows(answer: selectors.Verification) -> list[tuple[str, Any]]:
    """What the holder disclosed, labelled as the licence type labels its face."""
    holder = _holder_claim_labels()
    rows = [(holder.get(name, name), value) for name, value in answer.disclosed.items()]
    labels: dict[str, str] = {}
    if answer.face and answer.licence:
        try:
            layout = selectors.licence_type_get(answer.licence["type_code"]).face_layout
        except NotFound:
            layout = []
        labels = {
            entry["key"]: translate_text(entry["label"], entry.get("label_i18n"))
            for entry in layout
        }
    rows.extend((labels.get(name, name), value) for name, value in answer.face.items())
    return rows


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
    return render(request, "licences/licence.html", _licence_context(licence))


def _licence_context(licence: Any) -> dict[str, Any]:
    layout = licence.licence_type.face_layout
    return {
        "licence": licence,
        "status": selectors.licence_effective_status(licence),
        "face": selectors.licence_face(licence),
        "qr": selectors.licence_qr_svg(licence),
        "verify_url": selectors.licence_verification_url(licence),
        "credential": selectors.licence_credential(licence),
        "disclosable": [
            *_holder_claim_labels().items(),
            *(
                (f"face.{entry['key']}", translate_text(entry["label"], entry.get("label_i18n")))
                for entry in layout
                if entry["key"] in licence.face
            ),
        ],
        "lifetimes": [
            (3600, _("1 hour")),
            (86400, _("1 day")),
            (7 * 86400, _("7 days")),
        ],
    }


def _holder_licence(request: HttpRequest, licence_id: int) -> tuple[Citizen, Any]:
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise PermissionDenied
    try:
        return actor, selectors.holder_licence(actor, licence_id)
    except NotFound:
        raise Http404 from None


@require_GET
def wallet_printout(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The holder's printable licence, as a PDF download (audited)."""
    actor, _licence = _holder_licence(request, licence_id)
    printed = services.licence_printout(actor=actor, licence_id=licence_id)
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-{printed.licence.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
def wallet_present(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The holder makes a presentation: the chosen fields, for the chosen time; the answer
    is its link and QR (nothing is kept to show it again)."""
    actor, licence = _holder_licence(request, licence_id)
    try:
        lifetime = int(request.POST.get("lifetime", ""))
    except ValueError:
        lifetime = 0
    try:
        presented = services.licence_present(
            actor=actor,
            licence_id=licence_id,
            disclose=request.POST.getlist("disclose"),
            lifetime=lifetime,
        )
    except DomainError as exc:
        context = _licence_context(licence)
        context["present_error"] = exc.message
        return render(request, "licences/licence.html", context, status=422)
    context = {
        "licence": licence,
        "presentation": presented,
        "qr": selectors.presentation_qr_svg(presented.url),
    }
    response = render(request, "licences/presentation.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def status_list(request: HttpRequest, status_list_id: int) -> HttpResponse:
    try:
        token = selectors.status_list_token(status_list_id)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(token, content_type="application/statuslist+jwt")
    response["Cache-Control"] = f"public, max-age={settings.ONESTOP_LICENCE_STATUS_TTL}"
    return response
