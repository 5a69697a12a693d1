"""The rating page (public, phone-first, reached from the ticket's QR or the status page)
and the hall manager's follow-up pages. Each view parses, calls one service or selector,
and renders; a refused request is shown with the service's message and changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.core.errors import DomainError, NotFound
from onestop.identity.actors import StaffUser, optional_actor
from onestop.ratings import policies, selectors, services
from onestop.ratings.enums import BAD_LEVELS, FollowUpState, RatingLevel
from onestop.ratings.models import FollowUpTask
from onestop.ratings.policies import Perm


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        page = selectors.rating_page(token)
    except NotFound:
        return render(request, "ratings/unknown.html", status=404)
    error = ""
    status = 200
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = {
            "level": request.POST.get("level", ""),
            "reasons": request.POST.getlist("reasons"),
            "comment": request.POST.get("comment", ""),
            "contact_name": request.POST.get("contact_name", ""),
            "contact_phone": request.POST.get("contact_phone", ""),
        }
        try:
            services.rating_submit(token=token, actor=optional_actor(request), **posted)
        except DomainError as exc:
            error, status = exc.message, exc.status
            page = selectors.rating_page(token)
        else:
            return redirect("ratings:rate", token=token)
    context = {
        "page": page,
        "token": token,
        "levels": RatingLevel,
        "reasons": selectors.reason_list(),
        "posted": posted,
        "error": error,
        "bad_levels": sorted(BAD_LEVELS),
    }
    return render(request, "ratings/rate.html", context, status=status)


def _manager(request: HttpRequest) -> StaffUser:
    """The signed-in hall manager; anyone else is refused (403)."""
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser):
        raise PermissionDenied
    if not policies.RULES.coverage(actor, Perm.FOLLOW_UP).centre_ids:
        raise PermissionDenied
    return actor


@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    manager = _manager(request)
    state = request.GET.get("state", FollowUpState.OPEN)
    if state not in FollowUpState.values and state != "all":
        state = FollowUpState.OPEN
    tasks = selectors.follow_up_list(manager, state="" if state == "all" else state)[:200]
    counts = selectors.follow_up_counts(manager)
    return render(
        request,
        "ratings/follow_up_list.html",
        {
            "tasks": tasks,
            "state": state,
            "states": [(value, label, counts[value]) for value, label in FollowUpState.choices],
        },
    )


def _task_or_404(manager: StaffUser, task_id: int) -> FollowUpTask:
    try:
        return selectors.access_follow_up(manager, task_id)
    except NotFound:
        raise Http404 from None


def _detail(
    request: HttpRequest, task: FollowUpTask, *, error: str = "", status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "ratings/follow_up_detail.html",
        {
            "task": task,
            "rating": task.rating,
            "timeline": selectors.follow_up_timeline(task),
            "error": error,
            **extra,
        },
        status=status,
    )


@require_GET
def follow_up_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    manager = _manager(request)
    return _detail(request, _task_or_404(manager, task_id))


@require_POST
def follow_up_start(request: HttpRequest, task_id: int) -> HttpResponse:
    manager = _manager(request)
    task = _task_or_404(manager, task_id)
    try:
        services.follow_up_start(actor=manager, task_id=task.pk, note=request.POST.get("note", ""))
    except DomainError as exc:
        return _detail(request, task, error=exc.message, status=exc.status)
    messages.success(request, _("You have taken this follow-up."))
    return redirect("ratings:follow_up_detail", task_id=task.pk)


@require_POST
def follow_up_close(request: HttpRequest, task_id: int) -> HttpResponse:
    manager = _manager(request)
    task = _task_or_404(manager, task_id)
    resolution = request.POST.get("resolution", "")
    try:
        services.follow_up_close(actor=manager, task_id=task.pk, resolution=resolution)
    except DomainError as exc:
        return _detail(request, task, error=exc.message, status=exc.status, resolution=resolution)
    messages.success(request, _("The follow-up is closed."))
    return redirect("ratings:follow_up_detail", task_id=task.pk)


@never_cache
@require_POST
def follow_up_reveal(request: HttpRequest, task_id: int) -> HttpResponse:
    manager = _manager(request)
    task = _task_or_404(manager, task_id)
    try:
        phone = services.follow_up_contact_reveal(
            actor=manager, task_id=task.pk, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        return _detail(request, task, error=exc.message, status=exc.status)
    return _detail(request, task, revealed_phone=phone)
