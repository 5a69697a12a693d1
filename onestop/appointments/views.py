"""The citizen's booking pages, phone first: choose a district, a centre, a category (or
arrive from a service item's page with ?item=), a day and a time; then one's bookings with
code, QR and cancel. Each view parses, calls one selector or service, renders; a refusal
becomes a message on the page it came from.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.appointments import policies, selectors, services, tokens
from onestop.appointments.enums import BookingState
from onestop.appointments.hooks import booking_ticket
from onestop.appointments.rules import centre_rules
from onestop.appointments.services.messages import reminder_due_at
from onestop.catalog.selectors import item_current
from onestop.centres.selectors import opening_summary
from onestop.core.errors import DomainError, NotFound
from onestop.identity.actors import Citizen, optional_actor


def _citizen(request: HttpRequest) -> Citizen | None:
    actor = optional_actor(request)
    return actor if isinstance(actor, Citizen) and actor.is_active else None


def _sign_in_url(next_url: str) -> str:
    return f"{reverse('identity:citizen_login')}?{urlencode({'next': next_url})}"


def _item(key: str) -> Any:
    if not key:
        return None
    try:
        return item_current(key[:64])
    except NotFound:
        return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _districts(centres: list[Any]) -> list[tuple[str, str]]:
    """(code, name) of the districts (or the city) that have bookable centres, in order."""
    found: dict[str, str] = {}
    for centre in centres:
        region = centre.region
        while region.parent is not None and len(region.code) > 6:
            region = region.parent
        found.setdefault(region.code, region.name)
    return sorted(found.items())


@require_GET
def book(request: HttpRequest) -> HttpResponse:
    """One page, filled in step by step; each choice reloads it (htmx swaps the main part)."""
    now = timezone.now()
    item = _item(request.GET.get("item", ""))
    centres = list(selectors.bookable_centres())
    districts = _districts(centres)
    district = request.GET.get("district", "")
    centre = next((c for c in centres if c.code == request.GET.get("centre")), None)
    if centre is not None and not district:
        district = next((code for code, _ in districts if centre.region.code.startswith(code)), "")
    in_district = [c for c in centres if district and c.region.code.startswith(district)]
    if centre is not None and centre not in in_district:
        centre = None

    categories = selectors.bookable_categories(centre) if centre is not None else []
    wanted = item.hall_category.code if item is not None and item.hall_category else ""
    wanted = request.GET.get("category", "") or wanted
    category = next((c for c in categories if c.code == wanted), None)
    if category is None and len(categories) == 1:
        category = categories[0]

    item_key = item.item_key if item is not None else ""
    days = (
        selectors.slot_days(centre, category, item_key=item_key, now=now)
        if centre and category
        else []
    )
    day = _day(request.GET.get("day", ""))
    offer = next((d for d in days if d.day == day), None)
    slots = (
        selectors.slot_list(centre, category, day, item_key=item_key, now=now)
        if centre and category and day
        else []
    )
    citizen = _citizen(request)
    return render(
        request,
        "appointments/book.html",
        {
            "is_citizen": citizen is not None,
            "signed_in": optional_actor(request) is not None,
            "sign_in_url": _sign_in_url(request.get_full_path()),
            "opening": opening_summary(centre) if centre is not None else [],
            "booking_block": selectors.block_current(actor=citizen, now=now),
            "item": item,
            "districts": districts,
            "district": district,
            "centres": in_district,
            "centre": centre,
            "categories": categories,
            "category": category,
            "days": days,
            "day": day,
            "offer": offer,
            "slots": slots,
            "now": now,
            "item_mismatch": item is not None
            and category is not None
            and item.hall_category_id != category.pk,
        },
    )


@require_POST
def book_confirm(request: HttpRequest) -> HttpResponse:
    """Book the chosen time. Signed out (a session that ended while choosing), the citizen
    signs in and comes back to the same choice."""
    slot_id = request.POST.get("slot", "")
    item_key = request.POST.get("item", "")[:64]
    back = {k: request.POST.get(k, "") for k in ("centre", "category", "day", "item")}
    query = urlencode({k: v for k, v in back.items() if v})
    book_url = f"{reverse('appointments:book')}?{query}"
    actor = optional_actor(request)
    if actor is None:
        return redirect(_sign_in_url(book_url))
    try:
        booking = services.booking_create(
            actor=policies.require_citizen(actor),
            slot_id=int(slot_id) if slot_id.isdigit() else 0,
            item_key=item_key,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(book_url)
    messages.success(
        request,
        _("Booked. We sent the details by SMS; show the QR code or the code at the kiosk."),
    )
    return redirect("appointments:detail", booking_id=booking.pk)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    bookings = list(selectors.booking_list(actor=citizen)[:50])
    today = timezone.localdate()
    coming = [b for b in bookings if b.state == BookingState.BOOKED and b.day >= today]
    return render(
        request,
        "appointments/mine.html",
        {
            "is_citizen": citizen is not None,
            "coming": sorted(coming, key=lambda b: b.slot.starts_at),
            "earlier": [b for b in bookings if b not in coming],
        },
    )


def _booking(request: HttpRequest, booking_id: int) -> Any:
    try:
        return selectors.access_booking(_citizen(request), booking_id)
    except NotFound as error:
        raise Http404(error.message) from None


@require_GET
def detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    now = timezone.now()
    is_open = booking.state == BookingState.BOOKED
    cancel_until = booking.slot.starts_at - centre_rules(booking.centre_id).cancel_cutoff
    return render(
        request,
        "appointments/detail.html",
        {
            "booking": booking,
            "is_open": is_open,
            "qr": tokens.qr_svg(selectors.booking_token(booking), fluid=True) if is_open else "",
            "item": _item(booking.item_key),
            "cancel_until": cancel_until,
            "can_cancel": is_open and now <= cancel_until,
            "reminder_at": reminder_due_at(booking),
            "ticket": (
                booking_ticket.ask(booking.code)
                if booking.state == BookingState.CHECKED_IN
                else None
            ),
        },
    )


@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        services.booking_cancel(
            actor=policies.require_citizen(optional_actor(request)), booking_id=booking_id
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("appointments:detail", booking_id=booking_id)


@require_GET
def qr(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    if booking.state != BookingState.BOOKED:
        raise Http404(_("Only an open booking has a QR code."))
    response = HttpResponse(
        tokens.qr_svg(selectors.booking_token(booking)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response
