"""The hall's two public pages: a centre's call board and a ticket's phone status page.
Neither shows personal data: the board shows numbers and windows, the status page is
reached only by the ticket's unguessable token, whose holder may also ask for a text when
near and give the number up."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.centres.selectors import centre_get
from onestop.core.errors import DomainError, NotFound
from onestop.hall import pages, services
from onestop.hall.forms import NotifyForm
from onestop.hall.views.common import error_status


@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    try:
        centre = centre_get(code)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "hall/board.html",
        {
            "centre": centre,
            "calls": pages.board_calls(centre.pk),
            "speech": pages.call_speech_template(),
            "shown": pages.BOARD_CALLS,
        },
    )


@require_http_methods(["GET", "POST"])
def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    form = NotifyForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _status_page(request, token, form, str(form.errors.get("position", [""])[0]))
        try:
            pages.ticket_notify_choose(token=token, position=form.cleaned_data["position"])
        except DomainError as exc:
            return _status_page(request, token, form, exc.message)
        return redirect(f"{request.path}?notify=set")
    return _status_page(request, token, None, "")


@require_POST
def ticket_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.ticket_withdraw(token=token)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    except DomainError as exc:
        return _status_page(request, token, None, exc.message)
    return redirect(reverse("hall:ticket_status", args=[token]) + "?withdrawn=1")


def _status_page(
    request: HttpRequest, token: str, form: NotifyForm | None, error: str
) -> HttpResponse:
    try:
        status = pages.ticket_status(token)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    if form is None:
        chosen = status.ticket.notify_at_position or pages.NOTIFY_CHOICES[2]
        form = NotifyForm(initial={"position": chosen})
    return render(
        request,
        "hall/status.html",
        {
            "status": status,
            "form": form,
            "error": error,
            "saved": request.GET.get("notify") == "set",
            "withdrawn": request.GET.get("withdrawn") == "1",
        },
        status=error_status(request, 422) if error else 200,
    )
