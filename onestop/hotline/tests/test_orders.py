from datetime import date, timedelta

import pytest
from django.utils import timezone

from onestop.core.audit import AuditEntry
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.hotline import selectors, services
from onestop.hotline.enums import OrderState
from onestop.hotline.models import WorkOrder
from onestop.hotline.policies import Perm
from onestop.hotline.tests.factories import OTHER_PHONE, PHONE, local

pytestmark = pytest.mark.django_db


def test_an_agent_registers_a_complaint_and_it_is_dispatched_to_the_district_bureau(city):
    # given
    order = city.create()
    # when
    dispatched = services.order_dispatch(actor=city.agent, order_id=order.pk)
    # then
    assert dispatched.state == OrderState.DISPATCHED
    assert dispatched.department == city.environment_tianhe
    assert dispatched.number.endswith(f"{order.pk:08d}")
    assert dispatched.contact_phone_masked == "138****8000"
    assert PHONE not in dispatched.contact_phone_sealed
    actions = [e.action for e in selectors.order_timeline(dispatched)]
    assert actions == ["create", "dispatch"]
    assert AuditEntry.objects.filter(action="hotline.order.dispatch").count() == 1


def test_the_due_date_counts_working_days_across_the_national_day_holiday(city):
    # given: a complaint (5 working days) dispatched on Wednesday 30 September 2026
    order = city.create(now=local(2026, 9, 30, 10))
    # when
    dispatched = services.order_dispatch(
        actor=city.agent, order_id=order.pk, now=local(2026, 9, 30, 10)
    )
    # then: 1-7 October are off, Saturday 10 October is a working day (调休)
    assert dispatched.due_at == local(2026, 10, 13, 23, 59).replace(second=59)


def test_an_urgent_order_is_due_in_two_hours(city):
    order = city.create(urgency="urgent")
    at = local(2026, 12, 2, 22)
    dispatched = services.order_dispatch(actor=city.agent, order_id=order.pk, now=at)
    assert dispatched.due_at == at + timedelta(hours=2)
    assert dispatched.far_due_at == at + timedelta(hours=6)


def test_the_department_handles_and_the_return_visit_closes(city):
    # given
    order = city.replied()
    # when
    closed = services.order_return_visit(
        actor=city.agent, order_id=order.pk, resolved=True, satisfaction="satisfied"
    )
    # then
    assert closed.state == OrderState.CLOSED
    assert closed.replied_on_time is True
    assert [e.action for e in selectors.order_timeline(closed)] == [
        "create",
        "dispatch",
        "accept",
        "reply",
        "return_visit",
    ]


def test_an_unsatisfied_return_visit_reopens_to_the_same_department(city):
    # given
    order = city.replied()
    # when
    reopened = services.order_return_visit(
        actor=city.agent, order_id=order.pk, resolved=False, satisfaction="dissatisfied"
    )
    # then
    assert reopened.state == OrderState.DISPATCHED
    assert reopened.department == city.environment_tianhe
    assert reopened.reopen_count == 1
    assert reopened.satisfaction == "dissatisfied"
    assert services.order_accept(actor=city.handler, order_id=order.pk).state == "in_progress"


def test_the_citizen_answers_the_return_visit_with_number_and_phone(city):
    order = city.replied()
    closed = services.order_return_visit_answer(
        actor=None,
        number=order.number,
        phone=PHONE,
        resolved=True,
        satisfaction="basically_satisfied",
    )
    assert closed.state == OrderState.CLOSED and closed.satisfaction == "basically_satisfied"


def test_another_department_cannot_see_or_handle_the_order(city):
    # given
    order = city.dispatched()
    # when / then
    with pytest.raises(NotFound):
        services.order_accept(actor=city.other_handler, order_id=order.pk)
    with pytest.raises(NotFound):
        selectors.access_order(city.other_handler, order.pk)
    assert list(selectors.department_inbox(city.other_handler)) == []
    assert list(selectors.department_inbox(city.handler)) == [order]
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.DISPATCHED


def test_a_department_cannot_reply_to_an_order_it_does_not_hold(city):
    order = city.in_progress()
    with pytest.raises(NotFound):
        services.order_reply(actor=city.other_handler, order_id=order.pk, reply="已处理")
    assert WorkOrder.objects.get(pk=order.pk).reply == ""


def test_the_department_never_sees_the_informant_of_a_report(city):
    # given: a report (举报) with a name and a phone
    order = city.dispatched(kind="report", contact_name="林女士", contact_phone=OTHER_PHONE)
    # when
    seen = selectors.access_order(city.handler, order.pk)
    contact = selectors.order_contact(seen, city.handler)
    # then
    assert contact == {}
    assert seen.informant_hidden
    with pytest.raises(PermissionDenied):
        services.order_contact_reveal(actor=city.handler, order_id=order.pk, purpose="回电")
    # while the hotline keeps the number to call back
    assert selectors.order_contact(seen, city.agent)["phone"] == "139****5678"


def test_the_department_sees_a_complaints_caller_masked_only(city):
    order = city.dispatched()
    contact = selectors.order_contact(selectors.access_order(city.handler, order.pk), city.handler)
    assert contact == {"name": "陈先生", "phone": "138****8000"}


def test_an_agent_reveals_the_number_with_a_purpose_recorded(city):
    order = city.dispatched()
    phone = services.order_contact_reveal(actor=city.agent, order_id=order.pk, purpose="回访")
    assert phone == PHONE
    event = selectors.order_timeline(order)[-1]
    assert event.action == "contact_reveal" and not event.public


def test_a_returned_order_goes_back_to_the_dispatcher_and_is_counted(city):
    # given
    order = city.dispatched()
    # when
    returned = services.order_return(
        actor=city.handler, order_id=order.pk, reason="属城管职责，非环保部门"
    )
    # then
    assert returned.state == OrderState.RETURNED and returned.return_count == 1
    assert list(selectors.department_inbox(city.handler)) == []
    assert list(selectors.dispatch_queue(city.dispatcher)) == [returned]
    again = services.order_dispatch(
        actor=city.dispatcher, order_id=order.pk, department_id=city.city_management_tianhe.pk
    )
    assert again.department == city.city_management_tianhe


def test_a_return_needs_a_reason(city):
    order = city.dispatched()
    with pytest.raises(DomainError) as error:
        services.order_return(actor=city.handler, order_id=order.pk, reason="  ")
    assert error.value.code == "invalid_text"
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.DISPATCHED


def test_an_extension_approved_moves_the_due_date(city):
    # given
    start = local(2026, 12, 1, 10)
    order = services.order_dispatch(actor=city.agent, order_id=city.create(now=start).pk, now=start)
    services.order_accept(actor=city.handler, order_id=order.pk, now=start)
    services.order_extension_request(
        actor=city.handler, order_id=order.pk, days=3, reason="需现场夜查", now=start
    )
    # when
    extended = services.order_extension_decide(
        actor=city.dispatcher, order_id=order.pk, approve=True, now=start
    )
    # then: 5 + 3 working days from Tuesday 1 December
    assert extended.due_at is not None
    assert timezone.localdate(extended.due_at) == date(2026, 12, 11)
    assert extended.extension_days == 3 and extended.extension_requested_days == 0


def test_an_extension_past_the_legal_maximum_is_refused(city):
    order = city.in_progress()
    with pytest.raises(DomainError) as error:
        services.order_extension_request(
            actor=city.handler,
            order_id=order.pk,
            days=services.EXTENSION_MAX_DAYS + 1,
            reason="复杂",
        )
    assert error.value.code == "invalid_extension"
    assert WorkOrder.objects.get(pk=order.pk).extension_requested_days == 0


def test_only_a_dispatcher_decides_an_extension(city):
    order = city.in_progress()
    services.order_extension_request(actor=city.handler, order_id=order.pk, days=2, reason="x")
    with pytest.raises(NotFound):
        services.order_extension_decide(actor=city.handler, order_id=order.pk, approve=True)


def test_asking_the_citizen_pauses_the_clock_until_the_answer(city):
    # given: a complaint dispatched Tuesday 1 December 2026, due Tuesday 8 December
    start = local(2026, 12, 1, 10)
    order = services.order_dispatch(actor=city.agent, order_id=city.create(now=start).pk, now=start)
    services.order_accept(actor=city.handler, order_id=order.pk, now=start)
    # when: asked on Wednesday 2nd, answered on Friday 4th
    asked = services.order_ask(
        actor=city.handler, order_id=order.pk, question="请提供施工具体时段", now=local(2026, 12, 2)
    )
    assert asked.state == OrderState.AWAITING_CITIZEN and asked.due_at is None
    answered = services.order_answer(
        actor=None, number=order.number, phone=PHONE, answer="每晚23点后", now=local(2026, 12, 4)
    )
    # then: the two paused working days (3rd, 4th) move the due date to Thursday 10th
    assert answered.state == OrderState.IN_PROGRESS
    assert answered.due_at is not None and timezone.localdate(answered.due_at) == date(2026, 12, 10)


def test_a_wrong_phone_cannot_answer_for_the_citizen(city):
    order = city.in_progress()
    services.order_ask(actor=city.handler, order_id=order.pk, question="几点？")
    with pytest.raises(NotFound):
        services.order_answer(actor=None, number=order.number, phone=OTHER_PHONE, answer="x")
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.AWAITING_CITIZEN


def test_a_consultation_answered_during_the_call_is_resolved_at_first_contact(city):
    order = city.create(kind="consultation", text="噪音投诉找哪个部门？")
    closed = services.order_consultation_answer(
        actor=city.agent, order_id=order.pk, answer="由生态环境部门受理。"
    )
    assert closed.state == OrderState.CLOSED and closed.first_contact_resolution


def test_closing_without_a_return_visit_needs_a_reason(city):
    order = city.replied()
    with pytest.raises(DomainError):
        services.order_close(actor=city.dispatcher, order_id=order.pk, reason="")
    closed = services.order_close(actor=city.dispatcher, order_id=order.pk, reason="三次联系未接通")
    assert closed.state == OrderState.CLOSED and closed.closed_reason == "三次联系未接通"


def test_a_web_request_in_the_night_is_still_taken(city):
    order = city.create(channel="web", now=local(2026, 12, 2, 3))
    assert order.state == OrderState.NEW and order.agent is None


def test_the_same_idempotency_key_returns_the_first_order(city):
    # given
    first = services.order_create(
        actor=None, channel="app", request=city.request(), idempotency_key="k-1"
    )
    # when
    again = services.order_create(
        actor=None, channel="app", request=city.request(), idempotency_key="k-1"
    )
    # then
    assert again.pk == first.pk
    assert WorkOrder.objects.count() == 1
    with pytest.raises(Conflict):
        services.order_create(
            actor=None, channel="app", request=city.request(text="别的事"), idempotency_key="k-1"
        )
    assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"text": ""}, "invalid_text"),
        ({"text": "长" * 50_000}, "invalid_text"),
        ({"contact_phone": "12345"}, "invalid_phone"),
        ({"contact_phone": "", "is_anonymous": False}, "invalid_phone"),
        ({"category_code": "9999999"}, "unknown_category"),
        ({"region_code": "440999"}, "unknown_region"),
        ({"region_code": "310101"}, "unknown_region"),
        ({"kind": "praise"}, "invalid_kind"),
        ({"latitude": "north"}, "invalid_location"),
        ({"enterprise_uscc": "91440101XXXXXXXXXX"}, "invalid_uscc"),
        ({"text": "a\x00b"}, "invalid_text"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(city, overrides, code):
    with pytest.raises(DomainError) as error:
        city.create(**overrides)
    assert error.value.code == code
    assert not WorkOrder.objects.exists()


def test_html_in_the_text_is_kept_as_text(city):
    order = city.create(text="<script>alert(1)</script> 噪音")
    assert WorkOrder.objects.get(pk=order.pk).text == "<script>alert(1)</script> 噪音"


def test_an_agent_of_another_district_cannot_take_a_tianhe_call(city):
    from onestop.core.access import Role
    from onestop.hotline.tests.factories import staff_member

    yuexiu_agent = staff_member(Role.HOTLINE_AGENT, region=city.yuexiu)
    with pytest.raises(PermissionDenied):
        services.order_create(actor=yuexiu_agent, channel="phone", request=city.request())
    assert not WorkOrder.objects.exists()


def test_the_sweep_warns_marks_overdue_and_escalates_once(city):
    # given: an urgent order dispatched at 22:00, due at midnight
    start = local(2026, 12, 2, 22)
    order = services.order_dispatch(
        actor=city.agent, order_id=city.create(urgency="urgent", now=start).pk, now=start
    )
    # when
    warned = services.orders_sweep(now=start + timedelta(hours=1))
    late = services.orders_sweep(now=start + timedelta(hours=3))
    again = services.orders_sweep(now=start + timedelta(hours=3))
    # then
    assert (warned.warned, warned.overdue) == (1, 0)
    assert (late.warned, late.overdue) == (0, 1)
    assert (again.warned, again.overdue) == (0, 0)
    actions = [e.action for e in selectors.order_timeline(order)]
    assert actions.count("warn") == 1 and actions.count("overdue") == 1
    escalation = [e for e in selectors.order_timeline(order) if e.action == "escalate"]
    assert escalation[0].detail == {"to": "GZ-STHJJ"}
    assert not any(e.public for e in selectors.order_timeline(order, public_only=False)[2:])


def test_the_sweep_times_out_an_unanswered_question(city):
    order = city.in_progress()
    asked = services.order_ask(actor=city.handler, order_id=order.pk, question="几点？")
    assert asked.asked_at is not None
    later = asked.asked_at + timedelta(days=9)
    report = services.orders_sweep(now=later)
    assert report.timed_out == 1
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.IN_PROGRESS
    assert services.orders_sweep(now=later).timed_out == 0


def test_orders_three_times_over_their_limit_are_listed_apart(city):
    start = local(2026, 12, 2, 8)
    order = services.order_dispatch(
        actor=city.agent, order_id=city.create(urgency="urgent", now=start).pk, now=start
    )
    assert list(selectors.far_overdue(city.dispatcher, now=start + timedelta(hours=5))) == []
    assert list(selectors.far_overdue(city.dispatcher, now=start + timedelta(hours=7))) == [order]


def test_a_handler_may_not_take_calls(city):
    assert not selectors.RULES.can(city.handler, Perm.TAKE, city.create().place)
