"""Appointments test data, built through the real services: a centre through centres'
`centre_create`, slots through a template and `slots_generate`, and each booking state by
the moves that lead to it (booked, then cancelled or checked in), never by writing a state."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django.apps import apps

from onestop.appointments.models import Booking, Slot, SlotTemplate
from onestop.appointments.selectors import booking_token
from onestop.appointments.services import (
    CheckIn,
    booking_cancel,
    booking_check_in,
    booking_create,
    slot_template_create,
    slots_generate,
)
from onestop.centres.models import Centre
from onestop.centres.services import SessionSpec, centre_create
from onestop.core.access import Role
from onestop.identity.actors import Citizen, StaffUser
from onestop.identity.tests.factories import StaffFactory, platform_admin, region

OFFICE_WEEK = [
    *(SessionSpec(d, time(9), time(12)) for d in range(5)),
    *(SessionSpec(d, time(13), time(17)) for d in range(5)),
    SessionSpec(5, time(9), time(12)),
]


def hall_categories() -> None:
    """The hall categories come from a data migration, which a committing test's flush may
    have emptied; put them back as the migration does."""
    importlib.import_module("onestop.catalog.migrations.0002_seed_categories_and_themes").seed(
        apps, None
    )


def centre_made(
    *,
    code: str = "gz-th",
    name: str = "天河区政务服务中心",
    region_code: str = "440106",
    region_name: str = "天河区",
    categories: Sequence[str] = ("social", "business"),
    sessions: Sequence[SessionSpec] = OFFICE_WEEK,
    **options: Any,
) -> Centre:
    hall_categories()
    return centre_create(
        actor=platform_admin(),
        code=code,
        name=name,
        level="district",
        region=region(region_code, region_name),
        address=region_name,
        category_codes=list(categories),
        sessions=list(sessions),
        **options,
    )


def template_made(
    centre: Centre,
    *,
    category: str = "social",
    weekdays: Sequence[int] = range(5),
    start: time = time(9),
    end: time = time(16),
    length_minutes: int = 30,
    capacity: int = 2,
    today: Any = None,
    days: int = 14,
) -> SlotTemplate:
    """A template and the slots it makes for `days` days from `today`."""
    template = slot_template_create(
        actor=platform_admin(),
        centre_id=centre.pk,
        category_code=category,
        weekdays=weekdays,
        start=start,
        end=end,
        length_minutes=length_minutes,
        capacity=capacity,
    )
    slots_generate(today=today, days=days, centre_id=centre.pk)
    return template


def slot_at(centre: Centre, when: datetime, category: str = "social") -> Slot:
    return Slot.objects.get(centre=centre, category__code=category, starts_at=when)


def staff_at(role: Role, centre: Centre) -> StaffUser:
    account = StaffFactory.create(roles=[{"role": role, "centre_id": centre.pk}])
    assert isinstance(account, StaffUser)
    return account


def clerk_at(centre: Centre) -> StaffUser:
    return staff_at(Role.WINDOW_CLERK, centre)


def booking_made(who: Citizen, slot: Slot, *, now: datetime, item_key: str = "") -> Booking:
    return booking_create(actor=who, slot_id=slot.pk, item_key=item_key, now=now)


def booking_cancelled(who: Citizen, slot: Slot, *, now: datetime) -> Booking:
    booking = booking_made(who, slot, now=now)
    return booking_cancel(actor=who, booking_id=booking.pk, now=now)


def booking_checked_in(
    who: Citizen, slot: Slot, *, booked_at: datetime, at: datetime
) -> tuple[Booking, CheckIn]:
    """Booked at `booked_at`, checked in by a clerk of the centre at `at`."""
    booking = booking_made(who, slot, now=booked_at)
    check_in = booking_check_in(
        actor=clerk_at(slot.centre),
        token_or_code=booking_token(booking),
        centre_id=slot.centre_id,
        now=at,
    )
    booking.refresh_from_db()
    return booking, check_in
