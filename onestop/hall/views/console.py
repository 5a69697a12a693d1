"""The window console (窗口叫号): a clerk signs in at a window with a work profile, calls the
next ticket and works it through. Every button posts to one action that calls one service;
a refusal is shown on the console and changes nothing. The page follows the centre's live
events (hall/console.js) and works without script too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from onestop.core.errors import DomainError
from onestop.core.i18n import translated
from onestop.hall import pages, policies, services, visits
from onestop.hall.enums import TicketState, WindowState
from onestop.hall.forms import ConvertForm, ReasonForm, TransferForm, WindowOpenForm
from onestop.hall.models import Ticket
from onestop.hall.policies import Perm
from onestop.hall.selectors import profile_list, service_day_of, window_list
from onestop.hall.views.common import error_status, screen_centre
from onestop.identity.actors import request_actor, staff_of


def _sign_in_context(request: HttpRequest) -> dict[str, Any]:
    centre = screen_centre(request, Perm.SERVE)
    windows = window_list(request_actor(request), centre.pk)
    return {
        "centre": centre,
        "centres": pages.centres_where(request_actor(request), Perm.SERVE),
        "windows": [w for w in windows if w.state == WindowState.CLOSED],
        "busy_windows": [w for w in windows if w.state != WindowState.CLOSED],
        "profiles": list(profile_list(centre.pk)),
    }


NOTICE_SESSION_KEY = "hall_console_notice"


def _visit_context(request: HttpRequest, window: Any, console: Any) -> dict[str, Any]:
    """Who is at the window and what they booked, where tickets changed here went, and the
    message of the last move (shown once)."""
    return {
        "visit": visits.visit_of(console.current),
        "sent_on": visits.sent_on(window, service_day_of(timezone.now())),
        "notice": request.session.pop(NOTICE_SESSION_KEY, ""),
    }


MOVED_NOTICES = {
    ("converted", True): gettext_lazy(
        "%(display)s is now a %(queue)s ticket and waits in that queue, keeping its place in line."
    ),
    ("converted", False): gettext_lazy(
        "%(display)s is now a %(queue)s ticket and stays at this window."
    ),
    ("transferred", True): gettext_lazy(
        "%(display)s was transferred to %(queue)s and waits in that queue, keeping its place "
        "in line."
    ),
    ("transferred", False): gettext_lazy(
        "%(display)s was transferred to %(queue)s and stays at this window."
    ),
}


def _moved_notice(successor: Ticket, moved: str) -> str:
    """What the clerk is told after a conversion or a transfer: where the ticket is now."""
    queue = f"{translated(successor.category, 'name')} · {successor.get_kind_display()}"
    waiting = successor.state == TicketState.WAITING
    return str(MOVED_NOTICES[moved, waiting]) % {"display": successor.display, "queue": queue}


def _render(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    actor = staff_of(request)
    window = pages.clerk_window(actor)
    if window is None:
        context = _sign_in_context(request)
        template = "hall/console/sign_in.html"
    else:
        if not policies.RULES.can(actor, Perm.SERVE, window.place):
            raise PermissionDenied
        context = {"console": pages.console_for(actor, window), "centre": window.centre}
        context |= _visit_context(request, window, context["console"])
        template = "hall/console/console.html"
    context["error"] = error
    return render(
        request, template, context, status=error_status(request, status) if error else 200
    )


@require_GET
def console(request: HttpRequest) -> HttpResponse:
    if not pages.centres_where(request_actor(request), Perm.SERVE):
        raise PermissionDenied
    return _render(request)


def _window(request: HttpRequest) -> int:
    """The window where the signed-in clerk works."""
    window = pages.clerk_window(staff_of(request))
    if window is None:
        raise DomainError(
            "not_at_window",
            _("You are not signed in at a window. Choose one to start."),
            status=409,
        )
    return window.pk


def _open(request: HttpRequest) -> None:
    form = WindowOpenForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_window", _("Choose a window and a work profile."))
    services.window_open(
        actor=staff_of(request),
        window_id=form.cleaned_data["window"],
        profile_id=form.cleaned_data["profile"],
    )


def _window_action(service: Callable[..., Any]) -> Callable[[HttpRequest], None]:
    def act(request: HttpRequest) -> None:
        service(actor=staff_of(request), window_id=_window(request))

    return act


def _call(request: HttpRequest) -> None:
    if services.ticket_call_next(actor=staff_of(request), window_id=_window(request)) is None:
        raise DomainError(
            "nobody_waiting", _("Nobody is waiting in this window's queues."), status=409
        )


def _ticket_action(service: Callable[..., Any]) -> Callable[[HttpRequest, int], None]:
    def act(request: HttpRequest, ticket_id: int) -> None:
        service(actor=staff_of(request), ticket_id=ticket_id)

    return act


def _with_reason(service: Callable[..., Any]) -> Callable[[HttpRequest, int], None]:
    def act(request: HttpRequest, ticket_id: int) -> None:
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        service(actor=staff_of(request), ticket_id=ticket_id, reason=reason)

    return act


def _convert(request: HttpRequest, ticket_id: int) -> None:
    form = ConvertForm(request.POST)
    if not form.is_valid():
        raise DomainError("unknown_kind", _("Choose the kind to convert to."))
    successor = services.ticket_convert(
        actor=staff_of(request),
        ticket_id=ticket_id,
        to_kind=form.cleaned_data["to_kind"],
        keep=form.cleaned_data["keep"],
    )
    request.session[NOTICE_SESSION_KEY] = _moved_notice(successor, "converted")


def _transfer(request: HttpRequest, ticket_id: int) -> None:
    form = TransferForm(request.POST)
    if not form.is_valid():
        raise DomainError("unknown_category", _("Choose the category to transfer to."))
    successor = services.ticket_transfer(
        actor=staff_of(request),
        ticket_id=ticket_id,
        to_category=form.cleaned_data["to_category"],
        keep=form.cleaned_data["keep"],
    )
    request.session[NOTICE_SESSION_KEY] = _moved_notice(successor, "transferred")


WINDOW_ACTIONS: dict[str, Callable[[HttpRequest], None]] = {
    "open": _open,
    "pause": _window_action(services.window_pause),
    "resume": _window_action(services.window_resume),
    "close": _window_action(services.window_close),
    "call": _call,
}
TICKET_ACTIONS: dict[str, Callable[[HttpRequest, int], None]] = {
    "recall": _ticket_action(services.ticket_recall),
    "start": _ticket_action(services.ticket_start),
    "finish": _ticket_action(services.ticket_finish),
    "no_show": _ticket_action(services.ticket_no_show),
    "reinstate": _with_reason(services.ticket_reinstate),
    "cancel": _with_reason(services.ticket_cancel),
    "convert": _convert,
    "transfer": _transfer,
}


def _act(request: HttpRequest, action: Callable[[], None]) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        return _render(request, error=error.message, status=error.status)
    return redirect("hall:console")


@require_POST
def window_action(request: HttpRequest, action: str) -> HttpResponse:
    if action not in WINDOW_ACTIONS:
        raise Http404
    return _act(request, lambda: WINDOW_ACTIONS[action](request))


@require_POST
def ticket_action(request: HttpRequest, ticket_id: int, action: str) -> HttpResponse:
    if action not in TICKET_ACTIONS:
        raise Http404
    return _act(request, lambda: TICKET_ACTIONS[action](request, ticket_id))
