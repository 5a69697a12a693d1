from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from onestop.centres import selectors
from onestop.centres.services import (
    SessionSpec,
    centre_categories_set,
    centre_create,
    centre_timetable_set,
)
from onestop.core.access import Role
from onestop.core.errors import DomainError, PermissionDenied
from onestop.core.models import AuditEntry, Region
from onestop.identity.actors import StaffUser
from onestop.identity.services import RoleGrant, staff_create

pytestmark = pytest.mark.django_db

WEEKDAYS = [SessionSpec(d, time(9), time(12)) for d in range(5)] + [
    SessionSpec(d, time(13, 30), time(17)) for d in range(5)
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tianhe(db):
    return Region.objects.get_or_create(code="440106", defaults={"name": "天河区", "level": 2})[0]


@pytest.fixture
def centre(admin_user, tianhe):
    return centre_create(
        actor=admin_user,
        code="gz-th",
        name="天河区政务服务中心",
        level="district",
        region=tianhe,
        address="天河区",
        category_codes=["social", "business"],
        sessions=[*WEEKDAYS, SessionSpec(5, time(9), time(12))],
    )


def test_a_centre_opens_by_its_timetable_and_the_calendar(centre):
    # Tuesday 2026-12-01 is a working day: two sessions.
    assert [s.opens for s in selectors.centre_sessions_on(centre, date(2026, 12, 1))] == [
        time(9),
        time(13, 30),
    ]
    # A plain Saturday: only the Saturday morning of its timetable.
    assert selectors.centre_sessions_on(centre, date(2026, 11, 28)) == [
        selectors.Session(time(9), time(12))
    ]
    # National Day (Thursday 2026-10-01) and a Saturday inside the holiday: closed.
    assert selectors.centre_sessions_on(centre, date(2026, 10, 1)) == []
    assert selectors.centre_sessions_on(centre, date(2026, 10, 3)) == []
    # Sunday 2026-09-20 is an adjusted working day (调休) before National Day: weekday hours.
    assert len(selectors.centre_sessions_on(centre, date(2026, 9, 20))) == 2
    # Lunch break.
    assert selectors.centre_is_open_at(centre, datetime(2026, 12, 1, 10, tzinfo=SHANGHAI))
    assert not selectors.centre_is_open_at(centre, datetime(2026, 12, 1, 12, 30, tzinfo=SHANGHAI))


def test_a_centre_open_on_holidays_keeps_that_weekdays_hours(centre, admin_user):
    # given: the centre stays open through public holidays (节假日不打烊)
    centre_timetable_set(
        actor=admin_user,
        centre_id=centre.pk,
        sessions=[SessionSpec(d, time(0), time.max) for d in range(7)],
        open_on_holidays=True,
    )
    centre.refresh_from_db()

    # then National Day (a Thursday) and a Saturday inside the holiday have that day's hours
    assert selectors.centre_sessions_on(centre, date(2026, 10, 1)) == [
        selectors.Session(time(0), time.max)
    ]
    assert selectors.centre_is_open_at(centre, datetime(2026, 10, 3, 3, tzinfo=SHANGHAI))
    entry = AuditEntry.objects.filter(action="centre.timetable_set").latest("pk")
    assert entry.changes["before"]["open_on_holidays"] is False
    assert entry.changes["after"]["open_on_holidays"] is True


def test_a_timetable_change_keeps_the_holiday_rule_unless_told(centre, admin_user):
    centre_timetable_set(
        actor=admin_user, centre_id=centre.pk, sessions=WEEKDAYS, open_on_holidays=True
    )
    centre_timetable_set(actor=admin_user, centre_id=centre.pk, sessions=WEEKDAYS)
    centre.refresh_from_db()
    assert centre.open_on_holidays


def test_creation_is_audited_and_categories_kept(centre):
    assert sorted(centre.categories.values_list("code", flat=True)) == ["business", "social"]
    entry = AuditEntry.objects.get(action="centre.create")
    assert entry.changes["after"]["code"] == "gz-th"
    assert len(entry.changes["after"]["timetable"]) == 11


@pytest.mark.parametrize(
    "sessions",
    [
        [SessionSpec(0, time(12), time(9))],
        [SessionSpec(7, time(9), time(12))],
        [SessionSpec(0, time(9), time(12)), SessionSpec(0, time(11), time(14))],
    ],
)
def test_a_bad_timetable_is_refused_and_changes_nothing(centre, admin_user, sessions):
    before = selectors.centre_timetable(centre)
    with pytest.raises(DomainError) as caught:
        centre_timetable_set(actor=admin_user, centre_id=centre.pk, sessions=sessions)
    assert caught.value.code == "invalid_hours"
    assert selectors.centre_timetable(centre) == before


def test_unknown_category_is_refused(centre, admin_user):
    with pytest.raises(DomainError) as caught:
        centre_categories_set(
            actor=admin_user, centre_id=centre.pk, category_codes=["social", "nope"]
        )
    assert "nope" in caught.value.message
    assert centre.categories.count() == 2


def test_only_the_centres_own_manager_changes_it(centre, tianhe, admin_user):
    other = centre_create(
        actor=admin_user,
        code="gz-yx",
        name="越秀区政务服务中心",
        level="district",
        region=tianhe,
        address="越秀区",
    )
    manager = staff_create(
        actor=admin_user,
        username="mgr",
        password="pw-long-enough-1",
        display_name="Manager",
        roles=[RoleGrant(role=Role.HALL_MANAGER, centre_id=centre.pk)],
    )
    assert isinstance(manager, StaffUser)
    centre_timetable_set(actor=manager, centre_id=centre.pk, sessions=WEEKDAYS)
    with pytest.raises(PermissionDenied):
        centre_timetable_set(actor=manager, centre_id=other.pk, sessions=WEEKDAYS)
    with pytest.raises(PermissionDenied):
        centre_create(actor=manager, code="x", name="x", level="street", region=tianhe, address="x")
