"""Pages of reuse (decision 0036): the holder's one-time authorisation code (用证码) for one
licence of their wallet, and a department's lookup of licences, by its legal function for
an item or with a holder's code. Each parses, calls one service, and renders; a refused
request shows the service's message and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onestop.core.errors import DomainError, NotFound
from onestop.identity.actors import Citizen, StaffUser, optional_actor
from onestop.licences import selectors, services
from onestop.licences.reuse import CODE_MINUTES_DEFAULT


def _minutes(text: str) -> int:
    return int(text) if text.isdigit() and len(text) <= 3 else 0


@never_cache
@require_http_methods(["GET", "POST"])
def use_code(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The holder makes a one-time code for a department to read this licence: shown once."""
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise PermissionDenied
    try:
        licence = selectors.access_licence(actor, licence_id)
    except NotFound:
        raise Http404 from None
    if licence.owner_person_id != actor.person_id:
        raise Http404
    context: dict[str, Any] = {
        "licence": licence,
        "minutes": CODE_MINUTES_DEFAULT,
        "history": selectors.licence_uses_and_reads(licence),
    }
    status = 200
    if request.method == "POST":
        minutes = _minutes(request.POST.get("minutes", "").strip())
        context["minutes"] = minutes or CODE_MINUTES_DEFAULT
        try:
            made, code = services.use_code_create(
                actor=actor, licence_id=licence.pk, minutes=minutes
            )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
        else:
            context.update(code=f"{code[:4]}-{code[4:]}", expires_at=made.expires_at)
    return render(request, "licences/use_code.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """A department's staff read an applicant's licences for an item their department
    handles, or one licence with the holder's one-time code."""
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser):
        raise PermissionDenied
    source = request.POST
    context: dict[str, Any] = {
        "item_key": source.get("item_key", "").strip()[:64],
        "holder_code": "",
    }
    status = 200
    if request.method == "POST":
        try:
            if source.get("action") == "code":
                context["licences"] = [
                    services.licence_read_with_code(actor=actor, code=source.get("code", "")[:40])
                ]
            else:
                context["licences"] = services.licences_lookup(
                    actor=actor,
                    item_key=context["item_key"],
                    holder_code=source.get("holder_code", "")[:40],
                )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
        else:
            context["rows"] = [
                (
                    licence,
                    selectors.licence_effective_status(licence),
                    selectors.licence_face(licence),
                )
                for licence in context["licences"]
            ]
    return render(request, "licences/lookup.html", context, status=status)
