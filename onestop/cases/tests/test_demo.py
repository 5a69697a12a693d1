"""The cases' demo, seeded as `onestop seed-demo` seeds it (without the 88,000-item
catalog): open cases in every state for the demo approver's department, a pending extension
for its head, applications and results for the clerk at gz-th, the demo citizen's own cases,
and decisions across the National Day holiday. At any hour, and only once."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from onestop.cases import selectors
from onestop.cases.demo import HOME_DEPARTMENT, KEY_PREFIX, national_day_year
from onestop.cases.enums import CaseState, DeadlineStatus
from onestop.cases.models import Case, CaseExtension
from onestop.core.departments import department_get
from onestop.core.workdays import working_days_between
from onestop.delivery.models import Deposit
from onestop.demo.accounts import DEMO_CITIZEN_PHONE
from onestop.demo.seed import seed_demo
from onestop.identity.models import User
from onestop.identity.selectors import person_find_by_phone
from onestop.notifications.models import OutboxMessage
from onestop.ratings.models import FollowUpTask, Rating

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MOMENTS = {
    "a Wednesday morning": datetime(2026, 12, 2, 10, 30, tzinfo=SHANGHAI),
    "twenty past midnight on a Sunday": datetime(2026, 12, 6, 0, 20, tzinfo=SHANGHAI),
    "National Day": datetime(2026, 10, 1, 10, 5, tzinfo=SHANGHAI),
}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def seeded(request, settings, tmp_path):
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    now = MOMENTS[request.param]
    with time_machine.travel(now, tick=False):
        seed_demo(citizens=20, companies=2, catalog=False)
        yield now


def _the_department(seeded: datetime) -> None:
    home = department_get(HOME_DEPARTMENT)
    cases = Case.objects.filter(item_key__startswith=KEY_PREFIX)
    states = Counter(cases.filter(department=home).values_list("state", flat=True))
    for state in (
        CaseState.PRE_REVIEW,
        CaseState.ACCEPTED,
        CaseState.IN_REVIEW,
        CaseState.SUSPENDED,
        CaseState.DECIDED,
        CaseState.RESULT_PRODUCED,
        CaseState.AWAITING_DELIVERY,
        CaseState.CORRECTION,
        CaseState.DELIVERED,
        CaseState.ARCHIVED,
        CaseState.NOT_ACCEPTED,
        CaseState.WITHDRAWN,
    ):
        assert states[state], state
    assert cases.exclude(department=home).values("department").distinct().count() == 3
    # nothing happened after the moment of seeding
    assert not cases.filter(created_at__gt=seeded).exists()
    # the approver's inbox shows every clock, and only the department's cases
    approver = User.objects.get(username="approver")
    inbox = selectors.case_inbox(approver)
    statuses = {case.deadline_status for case in inbox}
    assert {
        DeadlineStatus.ON_TIME,
        DeadlineStatus.WARNING,
        DeadlineStatus.OVERDUE,
        DeadlineStatus.SEVERELY_OVERDUE,
        DeadlineStatus.PAUSED,
    } <= statuses
    assert all(case.department_id == home.pk for case in inbox)
    page = _client("approver").get("/cases/inbox/")
    assert page.status_code == 200 and len(page.context["cases"]) == len(inbox)


def _the_head_and_the_clerk() -> None:
    waiting = CaseExtension.objects.get(approved__isnull=True)
    assert _client("depthead").get(f"/cases/{waiting.case_id}/").status_code == 200
    at_window = Case.objects.filter(centre__code="gz-th", state=CaseState.AWAITING_DELIVERY)
    assert at_window.count() >= 2
    first = at_window.first()
    assert first is not None
    clerk = _client("clerk")
    window = clerk.get("/cases/window/")
    assert window.status_code == 200
    assert len(window.context["waiting"]) >= 2
    assert {c.pk for c in window.context["results"]} == set(at_window.values_list("pk", flat=True))
    assert clerk.get(f"/cases/{first.pk}/").status_code == 200


def _the_citizen() -> None:
    person = person_find_by_phone(DEMO_CITIZEN_PHONE)
    mine = Counter(Case.objects.filter(applicant_person=person).values_list("state", flat=True))
    assert mine[CaseState.CORRECTION] == 1
    assert mine[CaseState.AWAITING_DELIVERY] == 3  # at the window, in the locker, courier
    assert mine[CaseState.DRAFT] == 1
    assert mine[CaseState.DELIVERED] == 1  # decided across National Day
    assert mine[CaseState.PRE_REVIEW] == 1  # 即办, for the clerk to decide on the spot
    # Rated: the delivered case (非常满意) and the withdrawn one (不满意, followed up).
    rated = dict(
        Rating.objects.filter(person=person, case_id__isnull=False).values_list("level", "case_id")
    )
    assert set(rated) == {5, 2}
    assert FollowUpTask.objects.filter(rating__case_id=rated[2]).exists()
    # The locker result: in a compartment, its pickup code texted.
    deposit = Deposit.objects.get(case__applicant_person=person, state="waiting")
    texts = OutboxMessage.objects.filter(
        idempotency_key__startswith=f"delivery:{deposit.case_id}:"
    ).values_list("context", flat=True)
    assert any("一楼自助取件柜" in context["text"] for context in texts), list(texts)
    spot = Case.objects.get(applicant_person=person, state=CaseState.PRE_REVIEW)
    assert spot.limit_unit == "immediate"
    assert 'id="decide-now"' in _client("clerk").get(f"/cases/{spot.pk}/").content.decode()
    citizen = Client()
    citizen.force_login(User.objects.get(person=person))
    page = citizen.get("/cases/mine/")
    assert page.status_code == 200 and len(page.context["rows"]) == sum(mine.values())


def _across_national_day(seeded: datetime) -> None:
    year = national_day_year(timezone.localdate(seeded))
    across = Case.objects.filter(
        item_key__startswith=KEY_PREFIX,
        received_on__year=year,
        received_on__month=9,
        decided_at__isnull=False,
    )
    assert across.count() == 4
    for case in across:
        assert case.received_on is not None and case.decided_at is not None
        decided = timezone.localdate(case.decided_at)
        natural = (decided - case.received_on).days
        assert working_days_between(case.received_on, decided) < natural - 5


def test_the_demo_has_cases_for_every_role_at_any_hour_and_only_once(seeded):
    _the_department(seeded)
    _the_head_and_the_clerk()
    _the_citizen()
    _across_national_day(seeded)
    # seeding again adds no case
    before = Case.objects.count()
    with time_machine.travel(seeded, tick=False):
        seed_demo(citizens=20, companies=2, catalog=False)
    assert Case.objects.count() == before
