"""Each step of a case's timeline with the working days used and left on its day, counted
by the case's own clock across National Day 2026 (1–7 October; Saturday 10 October is an
adjusted working day, 调休)."""

from __future__ import annotations

from datetime import date

import pytest

from onestop.cases import selectors, services
from onestop.cases.tests.factories import moment
from onestop.core.workdays import working_days_between

pytestmark = pytest.mark.django_db


def _figures(case) -> dict[str, tuple[int | None, int | None]]:
    return {
        step.event.action: (step.used, step.left) for step in selectors.case_timeline_days(case)
    }


def test_each_step_shows_the_working_days_used_and_left_across_the_holiday(office):
    # given a 5-working-day item accepted on Wednesday 30 September
    case = office.accepted(now=moment(2026, 9, 30))
    approver = office.approver
    # when it is reviewed after the holiday, decided on Friday 9 October, and its result
    # made on Saturday 10 October
    services.case_review_start(actor=approver, case_id=case.pk, now=moment(2026, 10, 8))
    services.case_step_complete(actor=approver, case_id=case.pk, now=moment(2026, 10, 9))
    services.case_decide(
        actor=approver, case_id=case.pk, result="approved", now=moment(2026, 10, 9, 11)
    )
    services.case_result_produce(actor=approver, case_id=case.pk, now=moment(2026, 10, 10))
    case.refresh_from_db()
    # then
    figures = _figures(case)
    assert figures["accept"] == (0, 5)
    assert figures["start_review"] == (1, 4)  # 8 October, the first working day after
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert figures["decide"] == (2, 3)
    assert figures["produce_result"] == (None, None)  # the limit is for deciding


def test_a_paused_clock_does_not_count_on_the_timeline(office):
    # given a case in review from Monday 12 October, with an on-site inspection from the
    # 13th to the 15th
    case = office.in_review(now=moment(2026, 10, 12))
    approver = office.approver
    services.case_suspend(
        actor=approver,
        case_id=case.pk,
        procedure="site_inspection",
        days=2,
        reason="现场核查",
        now=moment(2026, 10, 13),
    )
    # when it resumes on the 15th
    services.case_resume(actor=approver, case_id=case.pk, now=moment(2026, 10, 15))
    case.refresh_from_db()
    # then the 14th and 15th are not counted: on the 15th, only the 13th has been used
    figures = _figures(case)
    assert figures["suspend"] == (1, 4)
    assert figures["resume"] == (1, 4)


def test_a_case_without_a_limit_shows_no_figures(office):
    case = office.accepted(now=moment(2026, 9, 30))
    case.limit_value = None
    assert all(step.used is None for step in selectors.case_timeline_days(case))


def test_the_case_page_shows_the_figures_of_each_step(client, office):
    # given
    case = office.accepted(now=moment(2026, 9, 30))
    services.case_review_start(actor=office.approver, case_id=case.pk, now=moment(2026, 10, 8))
    client.force_login(office.clerk)
    client.cookies["django_language"] = "en"
    # when
    page = client.get(f"/cases/{case.pk}/").content.decode()
    # then
    assert "0 of 5 working days used, 5 left" in page
    assert "1 of 5 working days used, 4 left" in page
