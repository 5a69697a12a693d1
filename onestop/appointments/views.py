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
from onestop.appointments.rules import centre_rules
from onestop.catalog.selectors import item_current
from onestop.core.errors import DomainError, NotFound
from onestop.identity.actors import optional_actor


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
    return render(
        request,
        "appointments/book.html",
        {
            "is_citizen": policies.citizen_person_id(optional_actor(request)) is not None,
            "booking_block": selectors.block_current(actor=request.user, now=now),
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
    slot_id = request.POST.get("slot", "")
    item_key = request.POST.get("item", "")[:64]
    try:
        booking = services.booking_create(actor=request.user, slot_id=slot_id, item_key=item_key)
    except DomainError as error:
        messages.error(request, error.message)
        back = {k: request.POST.get(k, "") for k in ("centre", "category", "day", "item")}
        query = urlencode({k: v for k, v in back.items() if v})
        return redirect(f"{reverse('appointments:book')}?{query}")
    messages.success(request, _("Booked. Show the QR code or the code at the centre's kiosk."))
    return redirect("appointments:detail", booking_id=booking.pk)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    bookings = list(selectors.booking_list(actor=request.user)[:50])
    today = timezone.localdate()
    coming = [b for b in bookings if b.state == BookingState.BOOKED and b.day >= today]
    return render(
        request,
        "appointments/mine.html",
        {
            "is_citizen": policies.citizen_person_id(optional_actor(request)) is not None,
            "coming": sorted(coming, key=lambda b: b.slot.starts_at),
            "earlier": [b for b in bookings if b not in coming],
        },
    )


def _booking(request: HttpRequest, booking_id: int) -> Any:
    try:
        return selectors.access_booking(request.user, booking_id)
    except NotFound as error:
        raise Http404(error.message) from None


@require_GET
def detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    is_open = booking.state == BookingState.BOOKED
    return render(
        request,
        "appointments/detail.html",
        {
            "booking": booking,
            "is_open": is_open,
            "qr": tokens.qr_svg(selectors.booking_token(booking), fluid=True) if is_open else "",
            "item": _item(booking.item_key),
            "cancel_until": booking.slot.starts_at - centre_rules(booking.centre_id).cancel_cutoff,
        },
    )


@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        services.booking_cancel(actor=request.user, booking_id=booking_id)
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
