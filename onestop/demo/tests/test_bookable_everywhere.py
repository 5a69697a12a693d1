"""Every demo centre takes bookings, on the days and hours its timetable opens, and has its
name in English and Traditional Chinese."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onestop.appointments.demo import appointments_seed_demo
from onestop.appointments.models import Slot
from onestop.appointments.selectors import bookable_categories, bookable_centres, slot_days
from onestop.core.i18n import translated
from onestop.core.regions import regions_load
from onestop.demo.centres import CENTRES, centres_seed_demo
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 10:00 in Guangzhou.
MONDAY = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo():
    regions_load()
    admin = platform_admin()
    with time_machine.travel(MONDAY, tick=False):
        centres_seed_demo(actor=admin)
        appointments_seed_demo(actor=admin)
        yield


def test_all_fourteen_demo_centres_have_times_open_to_book(demo):
    centres = list(bookable_centres())
    assert len(CENTRES) == 14
    assert sorted(c.code for c in centres) == sorted(spec.code for spec in CENTRES)
    for centre in centres:
        for category in bookable_categories(centre):
            days = slot_days(centre, category, now=MONDAY)
            assert any(d.is_open and d.remaining for d in days), (centre.code, category.code)


def test_slots_keep_to_each_centres_days_and_hours(demo):
    saturday = date(2026, 12, 5)

    def saturday_starts(code: str) -> set[time]:
        slots = Slot.objects.filter(centre__code=code, day=saturday)
        return {s.starts_at.astimezone(MONDAY.tzinfo).time() for s in slots}

    # a district centre opens on Saturday mornings, a street centre not at all, the demo
    # hall round the clock
    assert saturday_starts("gz-yx") and max(saturday_starts("gz-yx")) < time(12)
    assert saturday_starts("gz-th-wushan") == set()
    assert time(23) in saturday_starts("gz-th")


def test_demo_centres_have_english_and_traditional_names(demo):
    for centre in bookable_centres():
        assert translated(centre, "name", "en").endswith("Government Service Centre")
        assert "(demo address)" in translated(centre, "address", "en")
        assert "務" in translated(centre, "name", "zh-hant")
