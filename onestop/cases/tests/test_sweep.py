"""The deadline sweep: set-based over many cases, idempotent, warning the approver and the
department's head only when a case's state changes, and never writing over a clock that a
service moved after the sweep read it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.cases import selectors, services
from onestop.cases.enums import DeadlineStatus
from onestop.cases.models import Case
from onestop.cases.services import sweep
from onestop.cases.tests.factories import moment
from onestop.core.models import CalendarOverride
from onestop.core.workdays import NATURAL_DAYS, WORKING_DAYS, Deadline
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _case_updates(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "cases_case"')
    ]


def test_the_approver_and_the_head_are_warned_once_per_change_of_state(office):
    # given two cases in review, received on Tuesday 1 December with 5 working days (due 8th)
    first, second = office.in_review(), office.in_review()
    # when the sweep runs on the 9th, again on the 9th, on the 10th, and on the 22nd
    overdue = services.case_deadline_sweep(today=moment(2026, 12, 9).date())
    again = services.case_deadline_sweep(today=moment(2026, 12, 9).date())
    next_day = services.case_deadline_sweep(today=moment(2026, 12, 10).date())
    severe = services.case_deadline_sweep(today=moment(2026, 12, 22).date())
    # then each change of state warned both, once, in one digest each
    assert (overdue.changed, overdue.warned) == (2, 2)
    assert (again.changed, again.warned) == (0, 0)
    assert (next_day.changed, next_day.warned) == (0, 0)
    assert (severe.changed, severe.warned) == (2, 2)
    for user in (office.approver, office.head):
        texts = list(
            OutboxMessage.objects.filter(recipient_user_id=user.pk)
            .order_by("id")
            .values_list("context__text", flat=True)
        )
        assert len(texts) == 2
        assert first.number in texts[0] and second.number in texts[0]
        assert "Severely overdue" in texts[1] or "severely" in texts[1].lower()
    assert not OutboxMessage.objects.filter(recipient_user_id=office.other_approver.pk).exists()


def test_a_case_not_yet_taken_warns_the_head_only(office):
    # given an accepted case nobody has taken yet
    case = office.accepted()
    # when it becomes overdue
    report = services.case_deadline_sweep(today=moment(2026, 12, 9).date())
    # then the head hears of it; there is no approver to tell
    assert report.warned == 1
    assert OutboxMessage.objects.filter(recipient_user_id=office.head.pk).count() == 1
    assert not OutboxMessage.objects.filter(recipient_user_id=office.approver.pk).exists()
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.OVERDUE


def test_cases_that_change_alike_are_written_in_one_statement(office):
    # given twelve cases with the same clock and one whose stored clock is already right
    for _ in range(12):
        office.in_review()
    services.case_deadline_sweep(today=moment(2026, 12, 2).date())
    # when the sweep runs on a day when all twelve become overdue
    with CaptureQueriesContext(connection) as queries:
        report = services.case_deadline_sweep(today=moment(2026, 12, 9).date())
    # then one UPDATE wrote them all (besides the one that finds no case back on time), and
    # none is read as a model
    assert report.changed == 12 and report.looked_at == 12
    updates = _case_updates(queries)
    assert len(updates) == 2
    assert sum("SET \"deadline_status\" = 'overdue'" in sql for sql in updates) == 1
    assert Case.objects.filter(deadline_status=DeadlineStatus.OVERDUE).count() == 12


def test_the_sweep_leaves_alone_a_case_moved_after_it_was_read(office):
    # given a case the sweep read as on time, then closed by a decision before the write
    case = office.ready_to_decide()
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    row = (case.pk, case.number or "", office.approver.pk, case.department_id)
    read = (DeadlineStatus.ON_TIME, case.due_date, case.warn_on, case.severe_on)
    change = ("in_review", read, ("overdue", case.due_date, case.warn_on, case.severe_on))
    # when the write of the stale reading comes
    written = sweep._sweep_write(change, [row])
    # then nothing is written over the decision's clock
    assert written == []
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.NONE


# --- Stored marks: the sweep compares the day with them (decision 0039) -----------------------


def _deadlines() -> list[Deadline]:
    """Clocks across the National Day holiday of 2026 (1–8 October) and a local closure:
    working and natural days, limits of 0 to 8, closed pauses across and after the due
    date."""
    found = []
    for start in (date(2026, 9, 30), date(2026, 10, 9)):
        for limit in (0, 1, 3, 5, 8):
            for unit in (WORKING_DAYS, NATURAL_DAYS):
                for pauses in (
                    (),
                    ((start + timedelta(days=1), start + timedelta(days=6)),),
                    ((start + timedelta(days=20), start + timedelta(days=24)),),
                ):
                    found.append(Deadline(start=start, limit=limit, unit=unit, pauses=pauses))
    return found


def test_the_marks_give_the_status_of_the_clock_on_every_day():
    # given a closure declared on a Monday, and clocks over a holiday
    CalendarOverride.objects.create(date=date(2026, 10, 19), is_working_day=False)
    for deadline in _deadlines():
        marks = selectors.deadline_marks(deadline)
        # when each day of the following ten weeks is compared with the marks
        for offset in range(0, 70):
            day = deadline.start + timedelta(days=offset)
            # then the status is the one the clock computes day by day
            expected = selectors.deadline_clock(deadline, day).status
            assert selectors.marks_status(marks, day) == expected, (deadline, day)


def test_each_move_stores_the_marks_and_a_pause_clears_them(office):
    # given a case received on Tuesday 1 December with 5 working days
    case = office.in_review()
    # then it is due on the 8th, nearly due from the 7th (4 of 5 days used), severely
    # overdue once 10 more working days have passed (the 22nd)
    assert case.due_date == date(2026, 12, 8)
    assert (case.warn_on, case.severe_on) == (date(2026, 12, 7), date(2026, 12, 22))
    # when it is paused for an inspection
    services.case_suspend(
        actor=office.approver,
        case_id=case.pk,
        procedure="site_inspection",
        reason="需现场核查经营场所",
        days=10,
        now=moment(2026, 12, 2),
    )
    paused = Case.objects.get(pk=case.pk)
    # then the due date stays and the marks go, until it runs again
    assert (paused.deadline_status, paused.due_date) == (DeadlineStatus.PAUSED, date(2026, 12, 8))
    assert (paused.warn_on, paused.severe_on) == (None, None)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ((2026, 12, 4), DeadlineStatus.ON_TIME),
        ((2026, 12, 7), DeadlineStatus.WARNING),  # 4 of 5 working days used: 80 %
        ((2026, 12, 8), DeadlineStatus.WARNING),
        ((2026, 12, 9), DeadlineStatus.OVERDUE),
        ((2026, 12, 21), DeadlineStatus.OVERDUE),  # 14 of 5 days used
        ((2026, 12, 22), DeadlineStatus.SEVERELY_OVERDUE),  # 15: three times the limit
    ],
)
def test_the_sweep_stores_each_status_on_its_day(office, today, status):
    # given a case received on Tuesday 1 December with 5 working days (due the 8th)
    case = office.in_review()
    # when the sweep runs
    services.case_deadline_sweep(today=date(*today))
    # then
    assert Case.objects.get(pk=case.pk).deadline_status == status


def test_a_holiday_declared_later_moves_the_stored_clock_at_the_next_sweep(office):
    # given a case due on 8 December, swept once under today's calendar
    case = office.in_review()
    services.case_deadline_sweep(today=date(2026, 12, 2))
    # when a local closure on 3 and 4 December is declared afterwards
    for day in (3, 4):
        CalendarOverride.objects.create(date=date(2026, 12, day), is_working_day=False)
    first = services.case_deadline_sweep(today=date(2026, 12, 9))
    second = services.case_deadline_sweep(today=date(2026, 12, 9))
    # then the next sweep counts the days off: due on the 10th, nearly due on the 9th
    stored = Case.objects.get(pk=case.pk)
    assert (stored.due_date, stored.warn_on) == (date(2026, 12, 10), date(2026, 12, 9))
    assert stored.deadline_status == DeadlineStatus.WARNING
    assert first.recomputed == 1 and first.changed == 1
    # and a run under the same calendar computes no clock again and changes nothing
    assert (second.recomputed, second.changed) == (0, 0)


def test_cases_without_marks_are_computed_once_then_compared(office):
    # given open cases whose marks were never stored (written before they existed)
    cases = [office.in_review() for _ in range(3)]
    services.case_deadline_sweep(today=date(2026, 12, 2))
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        warn_on=None, severe_on=None, due_date=None, deadline_status=DeadlineStatus.NONE
    )
    # when the sweep runs twice
    first = services.case_deadline_sweep(today=date(2026, 12, 9))
    second = services.case_deadline_sweep(today=date(2026, 12, 9))
    # then the first computes and stores their clocks and the second compares dates only
    assert (first.recomputed, first.changed, first.warned) == (3, 3, 3)
    assert (second.recomputed, second.changed) == (0, 0)
    stored = Case.objects.get(pk=cases[0].pk)
    assert (stored.due_date, stored.warn_on, stored.severe_on) == (
        date(2026, 12, 8),
        date(2026, 12, 7),
        date(2026, 12, 22),
    )
    assert stored.deadline_status == DeadlineStatus.OVERDUE


def test_the_sweep_reads_no_more_for_more_cases(office):
    # given a department with two cases, swept once (calendar and marks stored)
    for _ in range(2):
        office.in_review()
    services.case_deadline_sweep(today=date(2026, 12, 2))

    def queries_on(day: date) -> int:
        with CaptureQueriesContext(connection) as queries:
            services.case_deadline_sweep(today=day)
        return len(queries.captured_queries)

    few = queries_on(date(2026, 12, 7))
    # when it holds three times as many and the same day comes for all of them
    for _ in range(4):
        office.in_review()
    Case.objects.update(deadline_status=DeadlineStatus.ON_TIME)
    many = queries_on(date(2026, 12, 7))
    # then the sweep takes as many statements: no read or write per case
    assert many == few


def test_a_clock_without_a_severe_line_stays_overdue(office):
    # given a running clock whose marks have no severe line (a limit of zero has none),
    # swept once under today's calendar
    case = office.in_review()
    services.case_deadline_sweep(today=date(2026, 12, 2))
    Case.objects.filter(pk=case.pk).update(severe_on=None)
    # when the sweep runs long after its due date
    services.case_deadline_sweep(today=date(2027, 3, 1))
    # then it is overdue, never severely
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.OVERDUE
