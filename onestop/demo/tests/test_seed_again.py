"""Seeding again: a demo database made before the demo hall ran round the clock gets its
hours and slots; a later day gets its own visits; the same day gets nothing twice."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from onestop.appointments.demo import appointments_seed_demo
from onestop.appointments.models import SlotTemplate
from onestop.appointments.services import slot_template_create
from onestop.centres.selectors import centre_get, centre_sessions_on
from onestop.centres.services import centre_create
from onestop.core.regions import region_get, regions_load
from onestop.demo.centres import ROUND_THE_CLOCK, WITH_SATURDAY, centres_seed_demo
from onestop.hall.demo import hall_seed_demo
from onestop.hall.tests.factories import at
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    regions_load()
    return platform_admin()


def test_an_older_demo_hall_gets_its_round_the_clock_hours_and_slots(admin):
    # given the Tianhe centre as an older demo made it: office hours and office-hour slots
    old = centre_create(
        actor=admin,
        code="gz-th",
        name="天河区政务服务中心",
        level="district",
        region=region_get("440106"),
        address="天河区政务服务中心（演示地址）",
        category_codes=["social"],
        sessions=WITH_SATURDAY,
    )
    slot_template_create(
        actor=admin,
        centre_id=old.pk,
        category_code="social",
        weekdays=range(6),
        start=time(9),
        end=time(17),
        length_minutes=30,
        capacity=6,
    )

    # when the demo is seeded again
    centres_seed_demo(actor=admin)
    appointments_seed_demo(actor=admin)
    again = appointments_seed_demo(actor=admin)

    # then the hall runs round the clock, holidays too, and books round the clock
    centre = centre_get("gz-th")
    assert centre.open_on_holidays
    assert [s.opens for s in centre_sessions_on(centre, at(3).date())] == [time(0)]
    assert len(ROUND_THE_CLOCK) == 7
    templates = SlotTemplate.objects.filter(centre=centre).order_by("pk")
    assert [(t.start, t.end, t.weekdays, t.is_active) for t in templates] == [
        (time(9), time(17), "012345", False),
        (time(0), time.max, "0123456", True),
    ]
    assert again == 0


def test_a_later_day_gets_its_own_visits_and_the_same_day_none(admin):
    centres_seed_demo(actor=admin)

    first = hall_seed_demo(actor=admin, now=at(3))
    same_day = hall_seed_demo(actor=admin, now=at(22))
    next_day = hall_seed_demo(actor=admin, now=at(3) + timedelta(days=1))

    assert (first.created["tickets"], same_day.created["tickets"]) == (90, 0)
    assert next_day.created["tickets"] == 90
    assert {timezone.localdate(v.finished_at) for v in next_day.finished} == {
        (at(3) + timedelta(days=1)).date()
    }
