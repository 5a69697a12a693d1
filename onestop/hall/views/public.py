"""The hall's two public pages: a centre's call board and a ticket's phone status page.
Neither shows personal data: the board shows numbers and windows, the status page is
reached only by the ticket's unguessable token."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onestop.centres.selectors import centre_get
from onestop.core.errors import DomainError, NotFound
from onestop.hall import pages
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
    try:
        status = pages.ticket_status(token)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    form = NotifyForm(
        request.POST or None,
        initial={"position": status.ticket.notify_at_position or pages.NOTIFY_CHOICES[2]},
    )
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                pages.ticket_notify_choose(token=token, position=form.cleaned_data["position"])
            except DomainError as exc:
                error = exc.message
            else:
                return redirect(f"{request.path}?notify=set")
        else:
            error = str(form.errors.get("position", [""])[0])
    return render(
        request,
        "hall/status.html",
        {
            "status": status,
            "form": form,
            "error": error,
            "saved": request.GET.get("notify") == "set",
        },
        status=error_status(request, 422) if error else 200,
    )
