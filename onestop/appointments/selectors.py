"""Reads of appointments: where and when one can book, one's own bookings, and a centre's
bookings of the day for the hall's kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.appointments import policies, tokens
from onestop.appointments.enums import BookingState, ErrorCode
from onestop.appointments.models import Booking, BookingBlock, Slot, SlotTemplate
from onestop.appointments.policies import Perm
from onestop.appointments.rules import centre_rules
from onestop.centres.selectors import centres_active
from onestop.core.access import Actor
from onestop.core.errors import NotFound


def bookable_centres(region_code: str = "") -> QuerySet[Any]:
    """Active centres that have slot templates, with their categories; optionally those in a
    region or below it."""
    centre_ids = SlotTemplate.objects.filter(is_active=True).values("centre_id")
    centres = (
        centres_active()
        .filter(pk__in=centre_ids)
        .select_related("region__parent")
        .prefetch_related("categories")
    )
    if region_code:
        centres = centres.filter(region__code__startswith=region_code)
    return centres.order_by("region__code", "level", "code")


def bookable_categories(centre: Any) -> list[Any]:
    """The centre's hall categories that have slot templates."""
    with_templates = set(
        SlotTemplate.objects.filter(centre=centre, is_active=True).values_list(
            "category_id", flat=True
        )
    )
    return [c for c in centre.categories.all() if c.pk in with_templates]


def _slots(centre: Any, category: Any, item_key: str = "") -> QuerySet[Slot]:
    """A category's slots serve every item of it; an item's own slots serve only that item."""
    slots = Slot.objects.filter(centre=centre, category=category)
    keys = [""] + ([item_key] if item_key else [])
    return slots.filter(item_key__in=keys)


@dataclass(frozen=True)
class DayOffer:
    day: date
    opens_at: datetime
    is_open: bool
    remaining: int


def slot_days(
    centre: Any, category: Any, *, item_key: str = "", now: datetime | None = None
) -> list[DayOffer]:
    """The coming days with slots, each with the seats left and whether booking is open."""
    now = now or timezone.now()
    rules = centre_rules(centre.pk)
    rows = (
        _slots(centre, category, item_key)
        .filter(starts_at__gt=now)
        .values("day")
        .annotate(capacity=Sum("capacity"), booked=Sum("booked"))
        .order_by("day")
    )
    return [
        DayOffer(
            day=row["day"],
            opens_at=rules.opens_for(row["day"]),
            is_open=now >= rules.opens_for(row["day"]),
            remaining=max(0, row["capacity"] - row["booked"]),
        )
        for row in rows
    ]


def slot_list(
    centre: Any, category: Any, day: date, *, item_key: str = "", now: datetime | None = None
) -> list[Slot]:
    """The day's slots in order, past ones included (the page greys them out)."""
    return list(_slots(centre, category, item_key).filter(day=day).order_by("starts_at"))


def slot_get(slot_id: Any) -> Slot:
    try:
        pk = int(slot_id)
    except (TypeError, ValueError):
        pk = 0
    slot = Slot.objects.select_related("centre", "category").filter(pk=pk).first()
    if slot is None:
        raise NotFound(ErrorCode.SLOT_NOT_FOUND, _("There is no such appointment slot."))
    return slot


# --- A person's bookings ---------------------------------------------------------------------


def _with_slot(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("slot", "centre", "category")


def booking_list(*, actor: Actor | None) -> QuerySet[Booking]:
    """The actor's own bookings, coming ones first, then the rest newest first."""
    person_id = policies.citizen_person_id(actor)
    if person_id is None:
        return Booking.objects.none()
    return _with_slot(Booking.objects.filter(person_id=person_id)).order_by(
        "-day", "-slot__starts_at"
    )


def access_booking(
    actor: Actor | None, booking_id: int | str, *, for_update: bool = False
) -> Booking:
    """One of the actor's own bookings; anyone else's is "not found"."""
    missing = NotFound(ErrorCode.BOOKING_NOT_FOUND, _("There is no such booking."))
    person_id = policies.citizen_person_id(actor)
    try:
        pk = int(booking_id)
    except (TypeError, ValueError):
        raise missing from None
    if person_id is None:
        raise missing
    bookings = _with_slot(Booking.objects.filter(pk=pk, person_id=person_id))
    if for_update:
        bookings = bookings.select_for_update(of=("self",))
    booking = bookings.first()
    if booking is None:
        raise missing
    return booking


def bookings_for_person_today(
    person: Any, centre: Any, now: datetime | None = None
) -> list[Booking]:
    """A person's open bookings at this centre today, earliest first: what a kiosk offers to
    check in after reading their card."""
    now = now or timezone.now()
    person_id = getattr(person, "pk", person)
    return list(
        _with_slot(
            Booking.objects.filter(
                person_id=person_id,
                centre=centre,
                day=timezone.localdate(now),
                state=BookingState.BOOKED,
            )
        ).order_by("slot__starts_at")
    )


def block_current(*, actor: Actor | None, now: datetime | None = None) -> BookingBlock | None:
    """The block that stops the actor booking now, if any."""
    person_id = policies.citizen_person_id(actor)
    if person_id is None:
        return None
    return (
        BookingBlock.objects.filter(
            person_id=person_id, lifted_at__isnull=True, ends_at__gt=now or timezone.now()
        )
        .order_by("-ends_at")
        .first()
    )


def booking_token(booking: Booking) -> str:
    return tokens.token_for(booking.pk, booking.code)


# --- Staff -----------------------------------------------------------------------------------


def centre_slot_summary(*, actor: Actor | None, day: date) -> QuerySet[Slot]:
    """The slots of the centres the actor manages on a day."""
    coverage = policies.RULES.coverage(actor, Perm.MANAGE_CENTRE)
    slots = Slot.objects.filter(day=day).select_related("centre", "category")
    return slots.filter(coverage.q(centre="centre_id"))


def block_list(*, now: datetime | None = None, current_only: bool = True) -> QuerySet[BookingBlock]:
    now = now or timezone.now()
    blocks = BookingBlock.objects.all()
    if current_only:
        blocks = blocks.filter(lifted_at__isnull=True, ends_at__gt=now)
    return blocks.order_by("-starts_at")


def no_shows_since(person_id: int, since: datetime) -> int:
    return Booking.objects.filter(
        person_id=person_id, state=BookingState.NO_SHOW, slot__starts_at__gte=since
    ).count()


def booking_counts_by_state(*, centre: Any, day: date) -> dict[str, int]:
    rows = (
        Booking.objects.filter(centre=centre, day=day)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(BookingState.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def checkin_window(centre_id: int) -> tuple[timedelta, timedelta]:
    """How long before a slot's start check-in opens, and how long after it a person is on
    time (the centre's rules): the hall puts an on-time arrival in line at the slot."""
    rules = centre_rules(centre_id)
    return rules.checkin_early, rules.checkin_late


def booking_checked_in(*, code: str, centre_id: int) -> Booking | None:
    """The booking a hall ticket was checked in from, by its code, at that centre: what the
    clerk serving the ticket sees of what was booked (the item, the slot). None if none."""
    if not code:
        return None
    return (
        _with_slot(Booking.objects.filter(code=code, centre_id=centre_id))
        .exclude(checked_in_at__isnull=True)
        .first()
    )
