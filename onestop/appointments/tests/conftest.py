from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from onestop.appointments.models import Booking, Slot
from onestop.appointments.tests import factories
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
    return factories.centre_made(sessions=WEEKDAYS)


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
    return factories.template_made(centre, today=NOW.date(), days=14)


slot_at = factories.slot_at


@pytest.fixture
def clerk(centre):
    """A window clerk of the centre, who may check its bookings in."""
    return factories.clerk_at(centre)


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
