"""The ticket kiosk (取号机): a walk-in takes a number, an appointment checks in. Signed in
as the centre's hall device (or, for trying it, a clerk or manager of the centre). Every
refusal is shown in large friendly text and changes nothing."""

from __future__ import annotations

from typing import Any

import segno
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from onestop.appointments.selectors import bookings_for_person_today
from onestop.appointments.services import CheckIn, booking_check_in
from onestop.centres.selectors import centre_is_open_at
from onestop.core.errors import DomainError, NotFound
from onestop.hall import pages
from onestop.hall.enums import TICKET_KIND_ZH, TicketKind, TicketSource
from onestop.hall.forms import BookingCardForm, BookingCodeForm, WalkInForm
from onestop.hall.models import Ticket
from onestop.hall.policies import Perm
from onestop.hall.services import ticket_issue
from onestop.hall.views.common import screen_centre
from onestop.identity.actors import device_or_staff_of
from onestop.identity.services import person_identify_by_card

# Seconds before an unfinished screen goes back to the start, and a result screen after.
STEP_TIMEOUT = 90
RESULT_TIMEOUT = 45
KINDS = (TicketKind.ACCEPTANCE, TicketKind.CONSULTATION, TicketKind.PICKUP)
KIND_HINTS = {
    TicketKind.ACCEPTANCE: gettext_lazy("Apply for a service: bring your materials"),
    TicketKind.CONSULTATION: gettext_lazy("Ask a question: no card needed"),
    TicketKind.PICKUP: gettext_lazy("Collect a result or a licence"),
}


def _centre(request: HttpRequest) -> Any:
    return screen_centre(request, Perm.SCREEN)


def _context(request: HttpRequest, centre: Any, **extra: Any) -> dict[str, Any]:
    return {
        "centre": centre,
        "is_open": centre_is_open_at(centre, timezone.now()),
        "timeout": STEP_TIMEOUT,
        **extra,
    }


def _categories(centre: Any) -> list[tuple[str, str]]:
    return list(centre.categories.order_by("position", "code").values_list("code", "name"))


def _refused(
    request: HttpRequest, error: DomainError, template: str, context: dict[str, Any]
) -> HttpResponse:
    context = {**context, "error": error.message, "error_code": str(error.code)}
    return render(request, template, context, status=error.status)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    return render(request, "hall/kiosk/start.html", _context(request, centre, timeout=0))


@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest) -> HttpResponse:
    """Three steps on one page: the category, the kind, then the card (or none for a
    consultation)."""
    centre = _centre(request)
    categories = _categories(centre)
    names = dict(categories)
    source = request.POST if request.method == "POST" else request.GET
    category = source.get("category", "")
    kind = source.get("kind", "")
    if category not in names:
        category, kind = "", ""
    if kind not in TicketKind.values:
        kind = ""
    context = _context(
        request,
        centre,
        categories=categories,
        category=category,
        category_name=names.get(category, ""),
        kind=kind,
        kind_zh=TICKET_KIND_ZH.get(kind, ""),
        kind_label=TicketKind(kind).label if kind else "",
        kinds=[(k, TicketKind(k).label, TICKET_KIND_ZH[k], KIND_HINTS[k]) for k in KINDS],
        may_skip=kind == TicketKind.CONSULTATION,
        form=WalkInForm(initial={"category": category, "kind": kind}),
    )
    if request.method == "GET":
        return render(request, "hall/kiosk/walk_in.html", context)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        context["error"] = _("Choose a category and a kind of number, then try again.")
        return render(request, "hall/kiosk/walk_in.html", context, status=422)
    data = form.cleaned_data
    card = data["card"].strip()
    skip = data["skip"] and data["kind"] == TicketKind.CONSULTATION
    if not card and not skip:
        context["error"] = _(
            "Please place your ID card or social-security card on the reader. "
            "Only a consultation can be taken without a card."
        )
        return render(request, "hall/kiosk/walk_in.html", context, status=422)
    try:
        person = (
            None if skip else person_identify_by_card(raw=card, device=device_or_staff_of(request))
        )
        ticket = ticket_issue(
            actor=request.user,
            centre=centre,
            category=data["category"],
            kind=data["kind"],
            person=person,
        )
    except DomainError as error:
        return _refused(request, error, "hall/kiosk/walk_in.html", context)
    return redirect("hall:kiosk_ticket", token=ticket.public_token)


def _issue_for(request: HttpRequest, centre: Any, check_in: CheckIn) -> Ticket:
    """The ticket of a booking just checked in: in line at its slot, or, checked in late,
    as a walk-in from now."""
    person = pages.booking_person(check_in.person_id)
    common = {
        "actor": request.user,
        "centre": centre,
        "category": check_in.category_code,
        "kind": TicketKind.ACCEPTANCE,
        "person": person,
        "item_key": check_in.item_key,
        "booking_ref": check_in.code,
    }
    if check_in.late:
        return ticket_issue(**common, source=TicketSource.WALK_IN)
    return ticket_issue(**common, source=TicketSource.APPOINTMENT, queue_at=check_in.slot_starts_at)


def _check_in(request: HttpRequest, centre: Any, code: str) -> Ticket:
    # One transaction: a ticket the hall refuses (closed, category not served) leaves the
    # booking unused, so the person can try again.
    with transaction.atomic():
        check_in = booking_check_in(
            actor=device_or_staff_of(request), token_or_code=code, centre_id=centre.pk
        )
        return _issue_for(request, centre, check_in)


@require_http_methods(["GET", "POST"])
def appointment(request: HttpRequest) -> HttpResponse:
    """Check in a booking: its QR (a scanner types it into the focused field), its code,
    or the holder's card (then today's bookings of theirs here)."""
    centre = _centre(request)
    code_form = BookingCodeForm(request.POST if "code" in request.POST else None)
    card_form = BookingCardForm(request.POST if "card" in request.POST else None)
    context = _context(request, centre, code_form=BookingCodeForm(), card_form=BookingCardForm())
    template = "hall/kiosk/appointment.html"
    if request.method == "GET":
        return render(request, template, context)
    try:
        if code_form.is_bound and code_form.is_valid():
            ticket = _check_in(request, centre, code_form.cleaned_data["code"])
        elif card_form.is_bound and card_form.is_valid():
            person = person_identify_by_card(
                raw=card_form.cleaned_data["card"], device=device_or_staff_of(request)
            )
            bookings = bookings_for_person_today(person, centre)
            if not bookings:
                context["error"] = _(
                    "There is no booking for this card here today. Please take a walk-in number."
                )
                return render(request, template, context, status=404)
            if len(bookings) > 1:
                context["bookings"] = bookings
                return render(request, template, context)
            ticket = _check_in(request, centre, bookings[0].code)
        else:
            context["error"] = _("Nothing was read. Scan the QR code again, or type its code.")
            return render(request, template, context, status=422)
    except DomainError as error:
        return _refused(request, error, template, context)
    return redirect("hall:kiosk_ticket", token=ticket.public_token)


def _kiosk_ticket(request: HttpRequest, token: str) -> tuple[Any, pages.TicketStatus]:
    centre = _centre(request)
    try:
        status = pages.ticket_status(token)
    except NotFound as error:
        raise Http404(error.message) from error
    if status.ticket.centre_id != centre.pk:
        raise Http404
    return centre, status


def _qr(request: HttpRequest, token: str) -> tuple[str, str]:
    url = request.build_absolute_uri(reverse("hall:ticket_status", args=[token]))
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")
    return url, mark_safe(svg)  # noqa: S308 - segno's own SVG of a URL we built


@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    centre, status = _kiosk_ticket(request, token)
    url, qr = _qr(request, token)
    return render(
        request,
        "hall/kiosk/ticket.html",
        _context(
            request,
            centre,
            status=status,
            status_url=url,
            qr=qr,
            timeout=RESULT_TIMEOUT,
            late=_late_note(status.ticket),
        ),
    )


def _late_note(ticket: Ticket) -> bool:
    """A booking checked in too late: the ticket is a walk-in's."""
    return bool(ticket.booking_ref) and ticket.source == TicketSource.WALK_IN


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The printed ticket: an 80 mm receipt, printed by the kiosk's browser."""
    centre, status = _kiosk_ticket(request, token)
    url, qr = _qr(request, token)
    return render(
        request,
        "hall/kiosk/receipt.html",
        {
            "centre": centre,
            "status": status,
            "status_url": url,
            "qr": qr,
            "late": _late_note(status.ticket),
            "printed_at": timezone.localtime(),
        },
    )
