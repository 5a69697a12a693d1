"""The appointments API, mounted at /api/v1/appointments/, for partner channels (a WeChat
mini-program) and the site's own pages. Every operation acts as the signed-in citizen (a
session, or a bearer token of the citizen's account); errors are problem+json with the codes
of `enums.ErrorCode` (slot_full, quota_exceeded, ... as 409; booking_blocked 403;
slot_not_found, booking_not_found 404).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from onestop.appointments import policies, selectors, services
from onestop.appointments.enums import BookingState, ErrorCode
from onestop.appointments.models import Booking
from onestop.appointments.schemas import BookingIn, BookingOut, CentreOut, DayOut, SlotOut
from onestop.appointments.tokens import qr_svg
from onestop.centres.selectors import centre_get
from onestop.core.errors import Conflict, NotFound
from onestop.core.i18n import translated
from onestop.core.openapi import problems
from onestop.identity.actors import Account, request_actor
from onestop.identity.api_auth import api_auth

router = Router(tags=["appointments"], auth=api_auth)


class CentreFilter(Schema):
    region: str = ""


class SlotFilter(Schema):
    centre: str
    category: str
    item: str = ""


class DaySlotFilter(SlotFilter):
    day: date


def _local(moment: datetime | None) -> datetime | None:
    # Times are given in the city's time zone, as people read them.
    return timezone.localtime(moment) if moment is not None else None


def _actor(request: HttpRequest) -> Account:
    return request_actor(request)


def _category(centre: Any, code: str) -> Any:
    category = next((c for c in selectors.bookable_categories(centre) if c.code == code), None)
    if category is None:
        raise NotFound(
            ErrorCode.CATEGORY_NOT_FOUND, _("This centre takes no bookings of that category.")
        )
    return category


def _centre_out(centre: Any) -> dict[str, Any]:
    return {
        "code": centre.code,
        "name": translated(centre, "name"),
        "level": centre.level,
        "region": centre.region.code,
        "address": translated(centre, "address"),
        "categories": [
            {"code": c.code, "name": translated(c, "name")}
            for c in selectors.bookable_categories(centre)
        ],
    }


def booking_out(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "code": booking.code,
        "state": booking.state,
        "centre": {
            "code": booking.centre.code,
            "name": translated(booking.centre, "name"),
            "address": translated(booking.centre, "address"),
        },
        "category": {"code": booking.category.code, "name": translated(booking.category, "name")},
        "item_key": booking.item_key,
        "starts_at": _local(booking.slot.starts_at),
        "ends_at": _local(booking.slot.ends_at),
        "created_at": _local(booking.created_at),
        "cancelled_at": _local(booking.cancelled_at),
        "checked_in_at": _local(booking.checked_in_at),
        "qr_text": (
            selectors.booking_token(booking) if booking.state == BookingState.BOOKED else None
        ),
    }


@router.get("/centres", response=list[CentreOut], summary="Centres that take bookings")
def centres(request: HttpRequest, filters: Query[CentreFilter]) -> list[dict[str, Any]]:
    return [_centre_out(c) for c in selectors.bookable_centres(filters.region[:12])]


@router.get(
    "/days",
    response=list[DayOut],
    summary="Coming days with slots of a category",
    openapi_extra=problems(404),
)
def days(request: HttpRequest, filters: Query[SlotFilter]) -> list[Any]:
    centre = centre_get(filters.centre)
    offers = selectors.slot_days(centre, _category(centre, filters.category), item_key=filters.item)
    return [{**offer.__dict__, "opens_at": _local(offer.opens_at)} for offer in offers]


@router.get(
    "/slots",
    response=list[SlotOut],
    summary="A day's slots with the seats left",
    openapi_extra=problems(404),
)
def slots(request: HttpRequest, filters: Query[DaySlotFilter]) -> list[Any]:
    centre = centre_get(filters.centre)
    category = _category(centre, filters.category)
    return [
        {
            "id": slot.pk,
            "day": slot.day,
            "starts_at": _local(slot.starts_at),
            "ends_at": _local(slot.ends_at),
            "capacity": slot.capacity,
            "remaining": slot.remaining,
            "item_key": slot.item_key,
        }
        for slot in selectors.slot_list(centre, category, filters.day, item_key=filters.item)
    ]


@router.post(
    "/bookings", response={201: BookingOut}, summary="Book a slot", openapi_extra=problems(404)
)
def booking_create(request: HttpRequest, payload: BookingIn) -> Status:
    booking = services.booking_create(
        actor=policies.require_citizen(_actor(request)),
        slot_id=payload.slot_id,
        item_key=payload.item_key,
    )
    booking = selectors.access_booking(_actor(request), booking.pk)
    return Status(201, booking_out(booking))


@router.get("/bookings", response=list[BookingOut], summary="My bookings, the latest 100")
def booking_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [booking_out(b) for b in selectors.booking_list(actor=_actor(request))[:100]]


@router.get("/bookings/{booking_id}", response=BookingOut, summary="One of my bookings")
def booking_detail(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    return booking_out(selectors.access_booking(_actor(request), booking_id))


@router.post("/bookings/{booking_id}/cancel", response=BookingOut, summary="Cancel my booking")
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    services.booking_cancel(actor=policies.require_citizen(_actor(request)), booking_id=booking_id)
    return booking_out(selectors.access_booking(_actor(request), booking_id))


@router.get(
    "/bookings/{booking_id}/qr.svg",
    summary="The booking's QR code (SVG)",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"image/svg+xml": {}}}}},
)
def booking_qr(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.access_booking(_actor(request), booking_id)
    if booking.state != BookingState.BOOKED:
        raise Conflict(ErrorCode.BOOKING_NOT_ACTIVE, _("Only an open booking has a QR code."))
    response = HttpResponse(qr_svg(selectors.booking_token(booking)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
