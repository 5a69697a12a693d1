import csv
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from onestop.core import workdays
from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound, PermissionDenied
from onestop.core.models import AuditEntry, CalendarOverride
from onestop.core.workdays import (
    NATURAL_DAYS,
    Deadline,
    add_natural_days,
    add_working_days,
    calendar_override_remove,
    calendar_override_set,
    is_working_day,
    natural_days_between,
    next_working_day,
    working_days_between,
    working_days_in,
)
from onestop.identity.models import User

pytestmark = pytest.mark.django_db

HOLIDAYS_CSV = (
    Path(workdays.__file__).resolve().parent / "fixtures" / "holidays" / "cn_holidays_2024_2026.csv"
)


def _rows() -> list[dict[str, str]]:
    with HOLIDAYS_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser("calendar-admin")


@pytest.fixture
def clerk() -> User:
    return User.objects.create_user("clerk", kind="staff")


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    # The warning is once per year per process: start this test as a fresh process would.
    monkeypatch.setattr(workdays, "_years_warned", set())


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- The official calendar -----------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows(), ids=lambda row: f"{row['date']}-{row['type']}")
def test_every_official_holiday_and_adjusted_working_day(row):
    # given
    day = d(row["date"])

    # when
    working = is_working_day(day)

    # then
    assert working is (row["type"] == "workday_adjusted")


def test_every_other_day_of_2024_to_2026_follows_the_ordinary_week():
    # given
    listed = {d(row["date"]): row["type"] == "workday_adjusted" for row in _rows()}
    expected = [
        day
        for day in (date(2024, 1, 1) + timedelta(n) for n in range(1096))
        if listed.get(day, day.weekday() < 5)
    ]

    # when
    found = [
        day for year in (2024, 2025, 2026) for m in range(1, 13) for day in working_days_in(year, m)
    ]

    # then
    assert len(_rows()) == 108
    assert found == expected


def test_the_fixture_has_the_2026_spring_festival_as_announced():
    # given
    rows = {row["date"]: row["type"] for row in _rows() if row["holiday_name"] == "春节"}

    # then
    assert rows["2026-02-14"] == rows["2026-02-28"] == "workday_adjusted"
    assert all(rows[f"2026-02-{day}"] == "off" for day in range(15, 24))
    assert "2026-02-24" not in rows


# --- Arithmetic across the 2026 Spring Festival (Feb 15-23 off, Sat Feb 14 and 28 worked) -------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 1, "2026-02-14"),  # Friday, then the adjusted Saturday
        ("2026-02-13", 2, "2026-02-24"),  # then nine days off
        ("2026-02-12", 5, "2026-02-26"),
        ("2026-02-11", 10, "2026-03-03"),  # through the adjusted Saturday Feb 28
        ("2026-02-14", 0, "2026-02-14"),
        ("2026-02-15", 0, "2026-02-24"),
        ("2026-02-24", -1, "2026-02-14"),
        ("2026-02-24", -2, "2026-02-13"),
        ("2026-03-02", -1, "2026-02-28"),
    ],
)
def test_add_working_days_across_the_spring_festival(start, n, expected):
    # when
    due = add_working_days(d(start), n)

    # then
    assert due == d(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-02-13", "2026-02-24", 2),
        ("2026-02-24", "2026-02-13", -2),
        ("2026-02-14", "2026-02-23", 0),
        ("2026-02-11", "2026-03-03", 10),
        ("2026-02-20", "2026-02-20", 0),
    ],
)
def test_working_days_between_counts_a_excluded_b_included(a, b, expected):
    # when
    count = working_days_between(d(a), d(b))

    # then
    assert count == expected


def test_adding_the_count_between_two_days_lands_on_the_later_one():
    # given
    a = d("2026-02-10")
    working = [day for day in (a + timedelta(n) for n in range(1, 40)) if is_working_day(day)]

    # when
    landed = [add_working_days(a, working_days_between(a, b)) for b in working]

    # then
    assert landed == working


def test_next_working_day_and_the_working_days_of_a_month():
    # when
    after_friday = next_working_day(d("2026-02-13"))
    after_saturday = next_working_day(d("2026-02-14"))
    february = working_days_in(2026, 2)

    # then
    assert after_friday == d("2026-02-14")
    assert after_saturday == d("2026-02-24")
    assert len(february) == 16
    assert d("2026-02-28") in february
    assert d("2026-02-16") not in february


def test_natural_days_ignore_the_calendar():
    # then
    assert add_natural_days(d("2026-02-13"), 3) == d("2026-02-16")
    assert add_natural_days(d("2026-02-13"), -13) == d("2026-01-31")
    assert natural_days_between(d("2026-02-13"), d("2026-02-24")) == 11
    assert natural_days_between(d("2026-02-24"), d("2026-02-13")) == -11


def test_overrides_are_read_once_per_range(django_assert_num_queries):
    # when
    with django_assert_num_queries(1):
        due = add_working_days(d("2026-02-11"), 30)
    with django_assert_num_queries(1):
        count = working_days_between(d("2026-01-01"), d("2026-12-31"))

    # then
    assert due == d("2026-03-31")
    # 261 weekdays, less 19 weekday holidays, plus 6 weekend days worked (调休)
    assert count == 248


# --- A year with no official data ----------------------------------------------------------------


def test_2027_falls_back_to_weekends_and_warns_once(caplog, fresh_warnings):
    # given
    caplog.set_level(logging.WARNING, logger="onestop.core.workdays")

    # when
    new_year = is_working_day(d("2027-01-01"))
    saturday = is_working_day(d("2027-01-02"))
    due = add_working_days(d("2026-12-31"), 2)
    february = working_days_in(2027, 2)

    # then
    assert (new_year, saturday) == (True, False)
    assert due == d("2027-01-04")
    assert len(february) == 20
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2027" in warnings[0].getMessage()


def test_an_override_beats_the_2027_fallback(admin):
    # given
    calendar_override_set(actor=admin, date=d("2027-01-01"), is_working_day=False, name="元旦")

    # when
    due = add_working_days(d("2026-12-31"), 1)

    # then
    assert due == d("2027-01-04")


# --- Overrides --------------------------------------------------------------------------------


def test_an_override_beats_the_package(admin):
    # given: Tuesday Feb 24 2026 is an ordinary working day, Sunday Feb 15 a holiday
    before = (is_working_day(d("2026-02-24")), is_working_day(d("2026-02-15")))

    # when
    calendar_override_set(
        actor=admin,
        date=d("2026-02-24"),
        is_working_day=False,
        name="台风停工",
        source="广州市人民政府通告",
        reason="typhoon closure",
    )
    calendar_override_set(actor=admin, date=d("2026-02-15"), is_working_day=True)

    # then
    assert before == (True, False)
    assert is_working_day(d("2026-02-24")) is False
    assert is_working_day(d("2026-02-15")) is True
    assert add_working_days(d("2026-02-13"), 3) == d("2026-02-25")


def test_setting_an_override_is_audited_with_before_and_after(admin):
    # given
    calendar_override_set(actor=admin, date=d("2026-05-06"), is_working_day=False, name="a")

    # when
    override = calendar_override_set(
        actor=admin, date=d("2026-05-06"), is_working_day=True, name="b", reason="corrected"
    )

    # then
    assert CalendarOverride.objects.get().pk == override.pk
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.object_id, entry.reason) == (
        "calendar_override.set",
        "2026-05-06",
        "corrected",
    )
    assert entry.actor_label == admin.audit_label
    assert entry.changes["before"]["is_working_day"] is False
    assert entry.changes["after"] == {
        "date": "2026-05-06",
        "is_working_day": True,
        "name": "b",
        "source": "",
    }


def test_removing_an_override_gives_the_day_back_to_the_package(admin):
    # given
    calendar_override_set(actor=admin, date=d("2026-02-24"), is_working_day=False)

    # when
    calendar_override_remove(actor=admin, date=d("2026-02-24"), reason="reopened")

    # then
    assert is_working_day(d("2026-02-24")) is True
    assert not CalendarOverride.objects.exists()
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.reason) == ("calendar_override.remove", "reopened")
    assert entry.changes["before"]["is_working_day"] is False


def test_removing_a_missing_override_is_not_found(admin):
    # when
    with pytest.raises(NotFound) as caught:
        calendar_override_remove(actor=admin, date=d("2026-02-24"))

    # then
    assert caught.value.code == "calendar_override_not_found"
    assert not AuditEntry.objects.exists()


def test_a_platform_admin_who_is_not_superuser_may_set_overrides():
    # given: the platform admin role by assignment, not a superuser flag
    from onestop.core.access import Role
    from onestop.identity.tests.factories import staff

    role_holder = staff(Role.PLATFORM_ADMIN)
    assert not role_holder.is_superuser

    # when
    calendar_override_set(actor=role_holder, date=d("2026-02-24"), is_working_day=False)

    # then
    assert CalendarOverride.objects.count() == 1


def test_anyone_else_is_refused_and_nothing_changes(admin, clerk):
    # given
    calendar_override_set(actor=admin, date=d("2026-02-24"), is_working_day=False)
    entries = AuditEntry.objects.count()

    # when
    with pytest.raises(PermissionDenied) as set_refused:
        calendar_override_set(actor=clerk, date=d("2026-02-25"), is_working_day=False)
    with pytest.raises(PermissionDenied) as remove_refused:
        calendar_override_remove(actor=clerk, date=d("2026-02-24"))
    with pytest.raises(PermissionDenied):
        calendar_override_set(actor=None, date=d("2026-02-25"), is_working_day=False)

    # then
    assert set_refused.value.code == remove_refused.value.code == "not_allowed"
    assert list(CalendarOverride.objects.values_list("date", "is_working_day")) == [
        (d("2026-02-24"), False)
    ]
    assert AuditEntry.objects.count() == entries
    assert is_working_day(d("2026-02-25")) is True


def test_a_deactivated_superuser_is_refused(admin):
    # given
    admin.is_active = False
    admin.save()

    # when / then
    with pytest.raises(PermissionDenied):
        calendar_override_set(actor=admin, date=d("2026-02-24"), is_working_day=False)


def test_a_name_longer_than_the_column_is_refused(admin):
    # when
    with pytest.raises(DomainError) as caught:
        calendar_override_set(
            actor=admin, date=d("2026-02-24"), is_working_day=False, name="x" * 51
        )

    # then
    assert caught.value.params == {"field": "name"}
    assert not CalendarOverride.objects.exists()


# --- Deadlines -----------------------------------------------------------------------------------

ACCEPTED = d("2026-02-11")  # a Wednesday, four days before the Spring Festival


def test_an_unpaused_deadline_is_due_n_working_days_after_acceptance():
    # given
    deadline = Deadline(start=ACCEPTED, limit=10)

    # when
    due = deadline.due_date()

    # then
    assert due == add_working_days(ACCEPTED, 10) == d("2026-03-03")
    assert deadline.remaining(ACCEPTED) == 10
    assert deadline.remaining(d("2026-02-20")) == 7
    assert deadline.remaining(d("2026-03-03")) == 0
    assert deadline.is_overdue(d("2026-03-03")) is False
    assert deadline.is_overdue(d("2026-03-04")) is True
    assert deadline.remaining(d("2026-03-05")) == -2


def test_a_pause_moves_the_due_date_by_the_working_days_in_it():
    # given: paused Thu Feb 26, resumed Mon Mar 2; (Feb 26, Mar 2] holds three working days,
    # Fri Feb 27, the adjusted Sat Feb 28 and Mon Mar 2
    deadline = Deadline(start=ACCEPTED, limit=10)

    # when
    paused = deadline.pause(d("2026-02-26"))
    resumed = paused.resume(d("2026-03-02"))

    # then
    assert working_days_between(d("2026-02-26"), d("2026-03-02")) == 3
    assert resumed.due_date() == add_working_days(d("2026-03-03"), 3) == d("2026-03-06")
    assert resumed.pauses == ((d("2026-02-26"), d("2026-03-02")),)
    assert deadline.pauses == ()
    assert resumed.remaining(d("2026-03-02")) == 4
    assert resumed.is_overdue(d("2026-03-06")) is False
    assert resumed.is_overdue(d("2026-03-07")) is True


def test_while_paused_the_clock_stands_still_and_there_is_no_due_date():
    # given
    paused = Deadline(start=ACCEPTED, limit=10).pause(d("2026-02-26"))

    # when
    with pytest.raises(DomainError) as caught:
        paused.due_date()

    # then
    assert caught.value.code == ErrorCode.DEADLINE_STATE
    assert paused.is_paused is True
    assert paused.remaining(d("2026-02-26")) == 4
    assert paused.remaining(d("2026-04-30")) == 4
    assert paused.is_overdue(d("2026-04-30")) is False


def test_pauses_add_up():
    # given: (Feb 24, Feb 26] holds 2 working days, (Mar 3, Mar 4] holds 1
    deadline = (
        Deadline(start=ACCEPTED, limit=10)
        .pause(d("2026-02-24"))
        .resume(d("2026-02-26"))
        .pause(d("2026-03-03"))
        .resume(d("2026-03-04"))
    )

    # when
    due = deadline.due_date()

    # then
    assert due == add_working_days(d("2026-03-03"), 3) == d("2026-03-06")


def test_a_pause_after_the_due_date_changes_nothing():
    # given
    deadline = Deadline(start=ACCEPTED, limit=10).pause(d("2026-03-05"))

    # when
    due = deadline.due_date()

    # then
    assert due == d("2026-03-03")
    assert deadline.is_overdue(d("2026-03-10")) is True
    assert deadline.resume(d("2026-03-10")).due_date() == d("2026-03-03")


def test_a_pause_on_the_due_date_leaves_it_there():
    # given: the pause day itself still counts
    deadline = Deadline(start=ACCEPTED, limit=10).pause(d("2026-03-03"))

    # when
    due = deadline.due_date()

    # then
    assert due == d("2026-03-03")
    assert deadline.remaining(d("2026-03-03")) == 0


@pytest.mark.parametrize(
    ("start", "limit", "due"),
    [
        ("2026-02-09", 5, "2026-02-14"),  # a Saturday, but an adjusted working day
        ("2026-02-09", 6, "2026-02-24"),  # Sunday Feb 15 is a holiday: the next working day
        ("2026-02-01", 10, "2026-02-11"),
    ],
)
def test_natural_day_deadlines_end_on_a_working_day(start, limit, due):
    # given
    deadline = Deadline(start=d(start), limit=limit, unit=NATURAL_DAYS)

    # then
    assert deadline.due_date() == d(due)


def test_a_natural_day_pause_adds_its_calendar_days():
    # given
    deadline = Deadline(start=d("2026-02-01"), limit=10, unit=NATURAL_DAYS)

    # when
    resumed = deadline.pause(d("2026-02-03")).resume(d("2026-02-05"))

    # then
    assert resumed.due_date() == d("2026-02-13")
    assert resumed.remaining(d("2026-02-10")) == 3


def test_a_zero_limit_is_due_on_the_start_or_the_next_working_day():
    # then
    assert Deadline(start=d("2026-02-13"), limit=0).due_date() == d("2026-02-13")
    assert Deadline(start=d("2026-02-15"), limit=0).due_date() == d("2026-02-24")


def test_pausing_twice_is_refused():
    # given
    paused = Deadline(start=ACCEPTED, limit=10).pause(d("2026-02-24"))

    # when
    with pytest.raises(DomainError) as caught:
        paused.pause(d("2026-02-25"))

    # then
    assert caught.value.code == ErrorCode.DEADLINE_STATE
    assert "already paused, since 2026-02-24" in caught.value.message


def test_resuming_a_running_deadline_is_refused():
    # when
    with pytest.raises(DomainError) as caught:
        Deadline(start=ACCEPTED, limit=10).resume(d("2026-02-24"))

    # then
    assert caught.value.code == ErrorCode.DEADLINE_STATE


@pytest.mark.parametrize(
    "build",
    [
        lambda: Deadline(start=ACCEPTED, limit=10).pause(d("2026-02-10")),
        lambda: Deadline(start=ACCEPTED, limit=10).pause(d("2026-02-24")).resume(d("2026-02-23")),
        lambda: (
            Deadline(start=ACCEPTED, limit=10)
            .pause(d("2026-02-24"))
            .resume(d("2026-02-26"))
            .pause(d("2026-02-25"))
        ),
    ],
    ids=["pause-before-start", "resume-before-pause", "pause-before-last-resume"],
)
def test_dates_out_of_order_are_refused(build):
    # when
    with pytest.raises(DomainError) as caught:
        build()

    # then
    assert caught.value.code == ErrorCode.INVALID_DATE_RANGE


def test_a_deadline_sees_an_override():
    # given
    admin = User.objects.create_superuser("admin-2")
    calendar_override_set(actor=admin, date=d("2026-03-02"), is_working_day=False)

    # when
    due = Deadline(start=ACCEPTED, limit=10).due_date()

    # then
    assert due == d("2026-03-04")


def test_the_marks_are_the_days_the_clock_crosses_its_lines_in_one_read(django_assert_num_queries):
    # given 10 working days from the Wednesday before the Spring Festival (due 3 March)
    deadline = Deadline(start=ACCEPTED, limit=10)

    # when
    with django_assert_num_queries(1):
        marks = deadline.marks(remaining_at_most=2, overdue_by=20)

    # then: at most 2 days left from Saturday 28 February, an adjusted working day (the
    # days after it, 2 and 3 March, remain), and 20 working days past the due date on 31 March
    assert marks.due_date == d("2026-03-03")
    assert marks.warn_on == d("2026-02-28")
    assert deadline.remaining(d("2026-02-27")) == 3
    assert deadline.remaining(d("2026-02-28")) == 2
    assert marks.severe_on == d("2026-03-31")
    assert deadline.remaining(d("2026-03-30")) == -19
    assert deadline.remaining(d("2026-03-31")) == -20


def test_a_paused_deadline_has_no_marks():
    paused = Deadline(start=ACCEPTED, limit=10).pause(d("2026-02-26"))
    with pytest.raises(DomainError):
        paused.marks(remaining_at_most=2, overdue_by=20)
