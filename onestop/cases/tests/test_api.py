"""The cases API and the public due-date calculator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from onestop.cases import services
from onestop.cases.tests import factories
from onestop.cases.tests.factories import office as office_build
from onestop.core.models import CalendarOverride
from onestop.identity import services as identity
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db


def bearer(account) -> dict[str, str]:
    _, token = identity.api_token_issue(actor=platform_admin(), user=account, name="test")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("query", "due"),
    [
        # 1–7 October 2026 is the National Day holiday and Saturday 10 October a working
        # day (调休): 8, 9, 10, 12, 13 October.
        ("start=2026-09-30&limit=5&unit=working", "2026-10-13"),
        ("start=2026-12-01&limit=5", "2026-12-08"),
        # 5 natural days from Monday 30 November: Saturday 5 December, so Monday 7 December.
        ("start=2026-11-30&limit=5&unit=natural", "2026-12-07"),
        ("start=2026-12-01&limit=0", "2026-12-01"),
    ],
)
def test_the_due_date_of_a_limit(client, query, due):
    response = client.get(f"/api/v1/calendar/due-date?{query}")
    assert response.status_code == 200, response.content
    assert response.json() == {"due_date": due}


def test_the_due_date_follows_the_calendar_overrides(client):
    # given 2 December declared a day off
    CalendarOverride.objects.create(date="2026-12-02", is_working_day=False, name="台风停工")
    # when
    response = client.get("/api/v1/calendar/due-date?start=2026-12-01&limit=1")
    # then
    assert response.json() == {"due_date": "2026-12-03"}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("start=2026-12-01&limit=-1", "invalid_limit"),
        ("start=2026-13-01&limit=5", "invalid_date"),
        ("start=yesterday&limit=5", "invalid_date"),
        ("start=2026-12-01&limit=5&unit=hours", "invalid_unit"),
    ],
)
def test_a_bad_due_date_request_gets_a_problem(client, query, code):
    response = client.get(f"/api/v1/calendar/due-date?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_a_case_is_tracked_by_number_and_phone_without_personal_data(client, office):
    # given
    case = office.accepted()
    phone = "13900000000"
    from onestop.cases.models import Case
    from onestop.core import pii

    stored = Case.objects.get(pk=case.pk)
    pii.assign(stored, "contact_phone", phone)
    stored.save()
    # when
    found = client.post(
        "/api/v1/cases/track",
        {"number": case.number, "phone": phone},
        content_type="application/json",
    )
    wrong = client.post(
        "/api/v1/cases/track",
        {"number": case.number, "phone": "13900000001"},
        content_type="application/json",
    )
    # then
    assert found.status_code == 200
    body = found.json()
    assert body["state"] == "accepted"
    assert body["clock"]["due_date"] == "2026-12-08"
    assert office.applicant.name not in found.content.decode()
    assert wrong.status_code == 404


def test_an_approver_reads_their_departments_case_and_not_anothers(client, office):
    # given
    case = office.accepted()
    other = office_build(department_code="GZ-SCJGJ")
    # when
    mine = client.get(f"/api/v1/cases/{case.pk}", headers=bearer(office.approver))
    theirs = client.get(f"/api/v1/cases/{case.pk}", headers=bearer(other.approver))
    # then
    assert mine.status_code == 200 and mine.json()["department"] == "GZ-GAJ"
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "case_not_found"


def test_the_decision_through_the_api(client, office):
    # given
    case = office.ready_to_decide()
    # when
    response = client.post(
        f"/api/v1/cases/{case.pk}/decision",
        {"result": "refused", "reason": ""},
        content_type="application/json",
        headers=bearer(office.approver),
    )
    again = client.post(
        f"/api/v1/cases/{case.pk}/decision",
        {"result": "refused", "reason": "不符合《条例》第十条"},
        content_type="application/json",
        headers=bearer(office.approver),
    )
    # then
    assert response.status_code == 422 and response.json()["code"] == "invalid_reason"
    assert again.status_code == 200 and again.json()["result"] == "refused"


def test_the_inbox_lists_the_departments_cases_soonest_due_first(client, office):
    # given
    later = office.accepted(now=timezone.now())
    sooner = office.accepted()
    # when
    response = client.get("/api/v1/cases/inbox", headers=bearer(office.approver))
    # then
    assert [row["id"] for row in response.json()] == [sooner.pk, later.pk]


def test_the_timeline_shows_the_days_used_at_each_step(client, office):
    # given: received and accepted on Tuesday 1 December (5 working days, due the 8th),
    # decided on Thursday the 3rd, the result then produced
    case = office.ready_to_decide()
    thursday = factories.NOW + timedelta(days=2)
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved", now=thursday)
    services.case_result_produce(
        actor=office.approver, case_id=case.pk, now=thursday + timedelta(hours=1)
    )
    # when
    body = client.get(f"/api/v1/cases/{case.pk}", headers=bearer(office.approver)).json()
    # then: nothing used on the day received, two working days by the decision, and no
    # figures once the clock stopped
    days = {row["action"]: (row["days_used"], row["days_left"]) for row in body["timeline"]}
    assert days["accept"] == (0, 5)
    assert days["decide"] == (2, 3)
    assert days["produce_result"] == (None, None)
