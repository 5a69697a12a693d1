import importlib
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import translation

from onestop.appointments.models import Booking, Slot
from onestop.appointments.services import slot_template_create, slots_generate
from onestop.centres.services import SessionSpec, centre_create
from onestop.core.models import AuditEntry
from onestop.identity.tests.factories import citizen, platform_admin, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = [
    *(SessionSpec(d, time(9), time(12)) for d in range(5)),
    *(SessionSpec(d, time(13), time(17)) for d in range(5)),
    SessionSpec(5, time(9), time(12)),
]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# Monday 30 November 2026, 10:00: the slots of Tuesday 1 December are bookable (opened on
# 24 November at 08:00), those of Tuesday 8 December open on 1 December at 08:00.
NOW = local(2026, 11, 30, 10)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db):
    return platform_admin()


@pytest.fixture
def centre(admin):
    # The hall categories come from a data migration, which a committing test's flush may
    # have emptied; put them back as the migration does.
    importlib.import_module("onestop.catalog.migrations.0002_seed_categories_and_themes").seed(
        apps, None
    )
    return centre_create(
        actor=admin,
        code="gz-th",
        name="天河区政务服务中心",
        level="district",
        region=region(),
        address="天河区",
        category_codes=["social", "business"],
        sessions=WEEKDAYS,
    )


@pytest.fixture
def other_centre(admin):
    return centre_create(
        actor=admin,
        code="gz-yx",
        name="越秀区政务服务中心",
        level="district",
        region=region("440104", "越秀区"),
        address="越秀区",
        category_codes=["social"],
        sessions=WEEKDAYS,
    )


@pytest.fixture
def template(admin, centre):
    """Social affairs on weekdays, 09:00-12:00 and 13:00-16:00 in 30-minute slots of two."""
    made = slot_template_create(
        actor=admin,
        centre=centre,
        category_code="social",
        weekdays=range(5),
        start=time(9),
        end=time(16),
        length_minutes=30,
        capacity=2,
    )
    slots_generate(today=NOW.date(), days=14)
    return made


def slot_at(centre, when: datetime, category: str = "social") -> Slot:
    return Slot.objects.get(centre=centre, category__code=category, starts_at=when)


@pytest.fixture
def slot(template, centre):
    """Tuesday 1 December, 10:00-10:30."""
    return slot_at(centre, local(2026, 12, 1, 10))


@pytest.fixture
def alice(db):
    return citizen()


@pytest.fixture
def bob(db):
    return citizen()


def state_of_things() -> tuple:
    """What a refused request must leave as it was."""
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "state", "seat_held")),
        list(Slot.objects.order_by("pk").values_list("pk", "booked", "held")),
        AuditEntry.objects.count(),
    )
