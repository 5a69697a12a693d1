"""The CASE machine: one service per move, nothing skipped, one decision per case, the
department's cases for the department only, and a clock that stops when it should."""

from __future__ import annotations

import pytest
from django.db import transaction

from onestop.cases import selectors, services
from onestop.cases.enums import ALLOWED_TRANSITIONS, CASE, CaseState, DeadlineStatus
from onestop.cases.models import Case, CaseEvent
from onestop.cases.policies import Perm
from onestop.cases.tests.factories import NOW, moment
from onestop.cases.tests.factories import office as office_build
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.models import AuditEntry
from onestop.core.workdays import add_working_days
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_window_to_archive_with_every_step_on_its_timeline(office):
    # given
    case = office.ready_to_decide()
    # when
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    services.case_result_produce(actor=office.approver, case_id=case.pk)
    services.case_dispatch(actor=office.clerk, case_id=case.pk)
    services.case_deliver(actor=office.clerk, case_id=case.pk)
    done = services.case_archive(actor=office.approver, case_id=case.pk)
    # then
    assert done.state == CaseState.ARCHIVED
    assert done.result == "approved" and done.retention == "permanent"
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "create",
        "material",
        "accept",
        "start_review",
        "step_complete",
        "decide",
        "produce_result",
        "dispatch",
        "deliver",
        "archive",
    ]
    audited = set(
        AuditEntry.objects.filter(
            object_id=str(case.pk), action__startswith="cases.case."
        ).values_list("action", flat=True)
    )
    assert {"cases.case.accept", "cases.case.decide", "cases.case.archive"} <= audited


@pytest.mark.parametrize("state", [s for s in CaseState.values if s != CaseState.ARCHIVED])
def test_no_state_can_be_skipped(state):
    # then: every state reaches archived only through the table, and decided only from review
    reachable = ALLOWED_TRANSITIONS[state]
    if CaseState.DECIDED in reachable:
        assert state == CaseState.IN_REVIEW
    if CaseState.ACCEPTED in reachable:
        assert state == CaseState.PRE_REVIEW
    assert CASE.final_states == frozenset({CaseState.ARCHIVED})


def test_an_accepted_case_cannot_be_decided_before_review(office):
    # given
    case = office.accepted()
    # when
    with pytest.raises(Conflict) as refused:
        services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    # then
    assert refused.value.code == "illegal_transition"
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_the_decision_waits_for_the_review_steps(office):
    # given
    case = office.in_review()
    # when
    with pytest.raises(Conflict) as refused:
        services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    # then
    assert refused.value.code == "step_pending"


def test_two_approvers_cannot_decide_one_case(office):
    # given
    case = office.ready_to_decide()
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    # when the other approver of the department tries too
    with pytest.raises(Conflict):
        services.case_decide(
            actor=office.other_approver, case_id=case.pk, result="refused", reason="不符合条件"
        )
    # then
    case.refresh_from_db()
    assert case.result == "approved" and case.decided_by_id == office.approver.pk
    assert CaseEvent.objects.filter(case=case, action="decide").count() == 1


def test_a_decision_on_a_stale_read_loses_the_race(office):
    # given two requests that both read the case in review
    case = office.ready_to_decide()
    stale = Case.objects.get(pk=case.pk)
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    # when the second moves its stale copy
    with pytest.raises(Conflict) as lost, transaction.atomic():
        CASE.move(stale, to=CaseState.DECIDED, action="decide", actor=office.approver)
    # then
    assert lost.value.code == "state_changed"


def test_an_approver_of_another_department_gets_not_found(office):
    # given
    case = office.accepted()
    other = office_build(department_code="GZ-SCJGJ")
    # when
    with pytest.raises(NotFound):
        services.case_review_start(actor=other.approver, case_id=case.pk)
    with pytest.raises(NotFound):
        selectors.access_case(other.approver, case.pk, Perm.VIEW)
    # then
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED
    assert case.pk not in {c.pk for c in selectors.case_inbox(other.approver)}
    assert case.pk in {c.pk for c in selectors.case_inbox(office.approver)}


def test_a_clerk_of_another_centre_cannot_accept(office):
    # given
    case = office.complete(office.start())
    other = office_build()
    # when
    with pytest.raises(NotFound):
        services.case_accept(actor=other.clerk, case_id=case.pk)
    # then
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW


def test_the_due_date_counts_working_days_from_the_day_received(office):
    # when
    case = office.accepted()
    # then: 5 working days after Tuesday 1 December 2026
    assert case.due_date == add_working_days(NOW.date(), 5)
    assert case.deadline_status == DeadlineStatus.ON_TIME


def test_a_paused_clock_does_not_run(office):
    # given a case in review, suspended for a site inspection on 2 December
    case = office.ready_to_decide()
    due_before = case.due_date
    services.case_suspend(
        actor=office.approver,
        case_id=case.pk,
        procedure="site_inspection",
        reason="需现场核查经营场所",
        days=10,
        now=moment(2026, 12, 2),
    )
    # when it stays paused for weeks
    paused = Case.objects.get(pk=case.pk)
    clock = selectors.case_clock(paused, moment(2027, 1, 20).date())
    # then nothing is used beyond the day of the pause, and it is not overdue
    assert clock.status == DeadlineStatus.PAUSED
    assert clock.used == 1
    swept = services.case_deadline_sweep(today=moment(2027, 1, 20).date())
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.PAUSED
    assert swept.warned == 0
    # and resuming on 9 December moves the due date by the working days paused
    resumed = services.case_resume(actor=office.approver, case_id=case.pk, now=moment(2026, 12, 9))
    assert resumed.due_date == add_working_days(due_before, 5)


def test_an_extension_needs_the_head_and_lengthens_the_limit(office):
    # given
    case = office.ready_to_decide()
    due_before = case.due_date
    extension = services.case_extension_request(
        actor=office.approver, case_id=case.pk, days=10, reason="案情复杂需延期"
    )
    # when the approver tries to approve it themselves
    with pytest.raises(NotFound):
        services.case_extension_decide(
            actor=office.approver, extension_id=extension.pk, approve=True
        )
    services.case_extension_decide(actor=office.head, extension_id=extension.pk, approve=True)
    # then
    case.refresh_from_db()
    assert case.extension_days == 10
    assert case.due_date == add_working_days(due_before, 10)
    assert CaseEvent.objects.filter(case=case, action="extension_decide").exists()


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ((2026, 12, 2), DeadlineStatus.ON_TIME),
        ((2026, 12, 7), DeadlineStatus.WARNING),
        ((2026, 12, 9), DeadlineStatus.OVERDUE),
        ((2026, 12, 22), DeadlineStatus.SEVERELY_OVERDUE),
    ],
)
def test_deadline_states(office, today, status):
    # given a case received on Tuesday 1 December with 5 working days: due Tuesday 8 December
    case = office.in_review()
    # when
    clock = selectors.case_clock(case, moment(*today).date())
    # then
    assert clock.status == status


def test_the_sweep_is_idempotent_and_warns_the_approver_once(office):
    # given
    case = office.in_review()
    day = moment(2026, 12, 9).date()
    # when
    first = services.case_deadline_sweep(today=day)
    second = services.case_deadline_sweep(today=day)
    # then
    assert first.changed == 1 and first.warned == 1
    assert second.changed == 0 and second.warned == 0
    assert Case.objects.get(pk=case.pk).deadline_status == DeadlineStatus.OVERDUE
    assert OutboxMessage.objects.filter(recipient_user_id=office.approver.pk).count() == 1


def test_the_sweep_is_the_platforms_or_an_admins(office):
    with pytest.raises(PermissionDenied):
        services.case_deadline_sweep(actor=office.clerk)


def test_a_second_approval_needs_another_approver(office):
    # given
    from onestop.cases.models import CaseType

    CaseType.objects.create(
        item_key=office.item.item_key, steps=["examine", "second_approval", "decide"]
    )
    case = office.in_review()
    services.case_step_complete(actor=office.approver, case_id=case.pk)
    # when
    with pytest.raises(Conflict) as same:
        services.case_step_complete(actor=office.approver, case_id=case.pk)
    services.case_step_complete(actor=office.other_approver, case_id=case.pk)
    # then
    assert same.value.code == "same_approver"
    assert Case.objects.get(pk=case.pk).current_step == "decide"


def test_refusal_needs_its_legal_reason(office):
    case = office.ready_to_decide()
    with pytest.raises(DomainError) as refused:
        services.case_decide(actor=office.approver, case_id=case.pk, result="refused")
    assert refused.value.code == "invalid_reason"
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_REVIEW


def test_the_decision_sms_is_in_the_outbox_with_the_decision(office):
    # given
    case = office.ready_to_decide()
    # when
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved")
    # then the message was written in the decision's transaction
    assert OutboxMessage.objects.filter(idempotency_key=f"cases:{case.pk}:decide").exists()


def test_the_applicant_can_withdraw_before_the_decision_but_not_after(office):
    from onestop.identity import services as identity

    citizen = identity.citizen_account_create(person=office.applicant, password="x-Pass-12345")
    case = office.in_review()
    withdrawn = services.case_withdraw(actor=citizen, case_id=case.pk, reason="不需要了")
    assert withdrawn.state == CaseState.WITHDRAWN and withdrawn.retention == "10y"
    decided = office.ready_to_decide()
    services.case_decide(actor=office.approver, case_id=decided.pk, result="approved")
    with pytest.raises(Conflict):
        services.case_withdraw(actor=citizen, case_id=decided.pk)


def test_cross_district_case_is_accepted_in_tianhe_and_decided_by_the_yuexiu_bureau(db):
    # given a 越秀 district item, cross-district (通办), and a centre in 天河
    place = office_build(
        department_code="GZ-GAJ-440104",
        level="district",
        region_ref="440104",
        cross_district=True,
    )
    tianhe_only = office_build(
        department_code="GZ-GAJ-440104", level="district", region_ref="440104"
    )
    # when
    case = place.ready_to_decide()
    decided = services.case_decide(actor=place.approver, case_id=case.pk, result="approved")
    # then
    assert decided.centre is not None and decided.centre.region.code == "440106"
    assert decided.department.code == "GZ-GAJ-440104"
    with pytest.raises(DomainError) as refused:
        tianhe_only.start()
    assert refused.value.code == "item_not_available"


def test_the_periodic_sweep_closes_a_notice_that_ran_out_once(office):
    # given a notice answerable by Wednesday 2 December
    case = office.start()
    line = case.materials.get(name="居民身份证")
    assert line.material_id is not None
    services.case_correction_request(
        actor=office.clerk,
        case_id=case.pk,
        problems=[services.Problem(line.material_id, "缺少身份证")],
        days=1,
        now=NOW,
    )
    # when
    first = services.cases_sweep(today=moment(2026, 12, 3).date())
    second = services.cases_sweep(today=moment(2026, 12, 3).date())
    # then
    assert first["lapsed"] == 1 and second["lapsed"] == 0
    assert Case.objects.get(pk=case.pk).state == CaseState.NOT_ACCEPTED


def test_the_inbox_reads_in_a_constant_number_of_queries(office, django_assert_num_queries):
    # given
    for _ in range(3):
        office.in_review()
    reads = len(selectors.INBOX_STATES)  # one index-ordered read per state
    # when / then
    with django_assert_num_queries(reads):
        few = selectors.case_inbox(office.approver)
        shown = [(c.number, c.item_name, c.due_date, c.get_state_display()) for c in few]
        names = [c.assignee.display_name for c in few if c.assignee]
    for _ in range(5):
        office.accepted()
    with django_assert_num_queries(reads):
        more = selectors.case_inbox(office.approver)
        shown = [(c.number, c.item_name, c.due_date, c.get_state_display()) for c in more]
        names = [c.assignee.display_name for c in more if c.assignee]
    assert len(few) == 3 and len(more) == 8 and len(shown) == 8
    assert [c.assignee.pk for c in more if c.assignee] == [office.approver.pk] * 3
    assert len(names) == 3


def test_the_inbox_lists_the_soonest_due_first_across_states_and_undated_last(office):
    # given cases received on different days, some taken, one with no limit at all
    late = office.in_review(now=moment(2026, 12, 3))
    early = office.accepted(now=moment(2026, 11, 30))
    middle = office.in_review(now=moment(2026, 12, 2))
    Case.objects.filter(pk=middle.pk).update(due_date=None)  # as an item without a limit
    soon = office.accepted(now=moment(2026, 12, 1))
    # when
    rows = selectors.case_inbox(office.approver)
    # then
    assert [c.pk for c in rows] == [early.pk, soon.pk, late.pk, middle.pk]
    assert [c.pk for c in selectors.case_inbox(office.approver, 2)] == [early.pk, soon.pk]
