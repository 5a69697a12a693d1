"""The deadline sweep: set-based over many cases, idempotent, warning the approver and the
department's head only when a case's state changes, and never writing over a clock that a
service moved after the sweep read it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.cases import services
from onestop.cases.enums import DeadlineStatus
from onestop.cases.models import Case
from onestop.cases.tests.factories import moment
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
    # then one UPDATE wrote them all, and none is read as a model
    assert report.changed == 12 and report.looked_at == 12
    assert len(_case_updates(queries)) == 1
    assert Case.objects.filter(deadline_status=DeadlineStatus.OVERDUE).count() == 12


def test_the_sweep_leaves_alone_a_case_moved_after_it_was_read(office):
    # given a case the sweep read as on time, then closed by a decision before the write
    case = office.ready_to_decide()
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    row = (case.pk, case.number or "", office.approver.pk, case.department_id)
    change = ("in_review", DeadlineStatus.ON_TIME, case.due_date, "overdue", case.due_date)
    # when the write of the stale reading comes
    written = services._sweep_write(change, [row])
    # then nothing is written over the decision's clock
    assert written == []
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.NONE
