"""The portal's pages: the online hall's front page, the staff home, the audit log viewer
and the signed-in user's account summary. Each parses, asks a policy or selector, renders."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from onestop.identity.actors import request_actor
from onestop.portal import policies, selectors
from onestop.portal.context_processors import Navigation
from onestop.portal.forms import AuditFilterForm
from onestop.portal.navigation import ROLE_DUTIES, role_anchor

AUDIT_PAGE_SIZE = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    if not policies.can_view_staff_home(request_actor(request)):
        raise PermissionDenied
    nav = Navigation(request)
    panels = [
        {
            "role": panel.role,
            "anchor": role_anchor(panel.role.value),
            "scopes": panel.scopes,
            "duties": ROLE_DUTIES[panel.role],
            "tools": nav.tools_for(panel.role),
        }
        for panel in selectors.role_panels_for(request_actor(request))
    ]
    return render(request, "portal/staff_home.html", {"panels": panels})


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not policies.can_view_audit_log(request_actor(request)):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entry_list(
        actor=request_actor(request),
        action=filters.get("action", ""),
        object_type=filters.get("object_type", ""),
        object_id=filters.get("object_id", ""),
        stream=filters.get("stream", ""),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "changes": json.dumps(entry.changes, ensure_ascii=False, indent=2, sort_keys=True)
            if entry.changes
            else "",
        }
        for entry in page.object_list
    ]
    return render(request, "portal/audit_log.html", {"form": form, "page": page, "rows": rows})


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    # Anonymous requests never get here: the deny-by-default middleware sends them to
    # sign in first.
    user = request.user
    person = getattr(user, "person", None)
    return render(request, "portal/account.html", {"account": user, "person": person})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (a PDF, a JSON answer)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
