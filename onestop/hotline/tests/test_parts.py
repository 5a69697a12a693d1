"""Multi-department orders (decision 0038): a lead department and assisting departments,
each with its own part and deadline, scoped strictly to itself."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.core.access import Role
from onestop.core.audit import AuditEntry
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.hotline import selectors, services
from onestop.hotline.enums import OrderState, PartState
from onestop.hotline.metrics import hotline_metrics, metrics_csv
from onestop.hotline.models import OrderPart, WorkOrder, WorkOrderEvent
from onestop.hotline.tests.factories import local, staff_member

pytestmark = pytest.mark.django_db

TASK = "核查工地是否取得夜间施工许可，依法处理占道堆放。"


@pytest.fixture
def assisting(city):
    """The Tianhe city-management bureau's handler: the assisting department."""
    return staff_member(Role.DEPARTMENT_HANDLER, department=city.city_management_tianhe)


def _with_part(city, **overrides):
    order = city.dispatched(**overrides)
    part = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
    )
    return order, part


def test_the_dispatcher_adds_an_assisting_department_with_its_own_part_and_deadline(city):
    # given
    start = local(2026, 12, 1, 10)
    order = services.order_dispatch(actor=city.agent, order_id=city.create(now=start).pk, now=start)
    # when
    part = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
        days=2,
        now=start,
    )
    # then: two working days from Tuesday, before the order's five
    assert part.state == PartState.DISPATCHED
    assert part.due_at is not None and order.due_at is not None
    assert timezone.localdate(part.due_at) == local(2026, 12, 3).date()
    assert part.due_at < order.due_at
    event = WorkOrderEvent.objects.get(order=order, action="part_add")
    assert event.part == part and event.department == city.city_management_tianhe
    assert event.public is False
    assert AuditEntry.objects.filter(action="hotline.order.part_add").count() == 1


def test_a_part_is_never_due_after_its_order(city):
    order = city.dispatched()
    with pytest.raises(DomainError) as error:
        services.order_part_add(
            actor=city.dispatcher,
            order_id=order.pk,
            department_id=city.city_management_tianhe.pk,
            task=TASK,
            days=30,
        )
    assert error.value.code == "invalid_part_due"
    assert not OrderPart.objects.exists()


def test_the_lead_or_a_department_already_assisting_is_not_added_again(city):
    order, _part = _with_part(city)
    for department in (city.environment_tianhe, city.city_management_tianhe):
        with pytest.raises(Conflict) as error:
            services.order_part_add(
                actor=city.dispatcher, order_id=order.pk, department_id=department.pk, task=TASK
            )
        assert error.value.code == "part_exists"
    assert OrderPart.objects.count() == 1


def test_a_handler_cannot_add_assisting_departments(city):
    order = city.dispatched()
    with pytest.raises(NotFound):
        services.order_part_add(
            actor=city.handler,
            order_id=order.pk,
            department_id=city.city_management_tianhe.pk,
            task=TASK,
        )
    assert not OrderPart.objects.exists()


def test_parts_are_added_only_while_the_order_is_being_handled(city):
    order = city.create()
    with pytest.raises(Conflict) as error:
        services.order_part_add(
            actor=city.dispatcher,
            order_id=order.pk,
            department_id=city.city_management_tianhe.pk,
            task=TASK,
        )
    assert error.value.code == "illegal_transition"


def test_the_assisting_department_sees_its_part_and_nobody_else_does(city, assisting):
    # given
    order, part = _with_part(city)
    # then: the assisting department's inbox lists the part, and not the order
    assert list(selectors.department_parts(assisting)) == [part]
    assert list(selectors.department_inbox(assisting)) == []
    # the lead handles the order, not the part; another bureau sees neither
    assert list(selectors.department_parts(city.handler)) == []
    assert list(selectors.department_parts(city.other_handler)) == []
    for outsider in (city.handler, city.other_handler):
        with pytest.raises(NotFound):
            selectors.access_part(outsider, part.pk)
        with pytest.raises(NotFound):
            services.part_accept(actor=outsider, part_id=part.pk)
    with pytest.raises(NotFound):
        selectors.access_order(assisting, order.pk)
    assert selectors.access_part(assisting, part.pk) == part


def test_the_assisting_department_accepts_and_replies_to_its_part(city, assisting):
    # given
    _order, part = _with_part(city)
    # when
    accepted = services.part_accept(actor=assisting, part_id=part.pk)
    replied = services.part_reply(actor=assisting, part_id=part.pk, reply="已清理占道堆放物。")
    # then
    assert accepted.accepted_at is not None
    assert replied.state == PartState.REPLIED and replied.replied_on_time is True
    actions = list(
        WorkOrderEvent.objects.filter(part=part).values_list("action", flat=True).order_by("id")
    )
    assert actions == ["part_add", "part_accept", "part_reply"]
    audited = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"hotline.order.part_accept", "hotline.order.part_reply"} <= audited


def test_illegal_part_moves_are_refused_and_change_nothing(city, assisting):
    _order, part = _with_part(city)
    # a part not yet accepted cannot be replied to
    with pytest.raises(Conflict) as error:
        services.part_reply(actor=assisting, part_id=part.pk, reply="已处理")
    assert error.value.code == "illegal_transition"
    # a part being handled cannot be sent again
    services.part_accept(actor=assisting, part_id=part.pk)
    with pytest.raises(Conflict):
        services.part_redispatch(
            actor=city.dispatcher, part_id=part.pk, department_id=city.environment_yuexiu.pk
        )
    assert OrderPart.objects.get(pk=part.pk).state == PartState.IN_PROGRESS
    assert OrderPart.objects.get(pk=part.pk).department == city.city_management_tianhe


def test_a_returned_part_goes_to_another_department(city, assisting):
    # given
    _order, part = _with_part(city)
    # when
    returned = services.part_return(actor=assisting, part_id=part.pk, reason="不属本局职责")
    # then
    assert returned.state == PartState.RETURNED and returned.return_count == 1
    assert list(selectors.department_parts(assisting)) == []
    again = services.part_redispatch(
        actor=city.dispatcher, part_id=part.pk, department_id=city.environment_yuexiu.pk
    )
    assert again.state == PartState.DISPATCHED and again.department == city.environment_yuexiu
    assert list(selectors.department_parts(city.other_handler)) == [again]
    with pytest.raises(NotFound):
        services.part_accept(actor=assisting, part_id=part.pk)


def test_the_lead_replies_only_once_every_part_has_replied(city, assisting):
    # given
    order, part = _with_part(city)
    services.order_accept(actor=city.handler, order_id=order.pk)
    # when the part is still open
    with pytest.raises(Conflict) as error:
        services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    # then
    assert error.value.code == "parts_pending"
    assert city.city_management_tianhe.name in error.value.message
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.IN_PROGRESS
    # when the part replies, the lead may reply for the whole order
    services.part_accept(actor=assisting, part_id=part.pk)
    services.part_reply(actor=assisting, part_id=part.pk, reply="已清理占道堆放物。")
    replied = services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    assert replied.state == OrderState.REPLIED


def test_a_withdrawn_part_no_longer_holds_the_lead_back(city, assisting):
    order, part = _with_part(city)
    services.order_accept(actor=city.handler, order_id=order.pk)
    services.part_return(actor=assisting, part_id=part.pk, reason="不属本局职责")
    with pytest.raises(Conflict):
        services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    services.part_cancel(actor=city.dispatcher, part_id=part.pk, reason="由主办部门一并处理")
    assert services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理").state == (
        OrderState.REPLIED
    )


def test_an_unsatisfied_return_visit_reopens_the_order_and_its_parts(city, assisting):
    # given
    order, part = _with_part(city)
    services.order_accept(actor=city.handler, order_id=order.pk)
    services.part_accept(actor=assisting, part_id=part.pk)
    services.part_reply(actor=assisting, part_id=part.pk, reply="已清理")
    services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    # when
    reopened = services.order_return_visit(
        actor=city.agent, order_id=order.pk, resolved=False, satisfaction="dissatisfied"
    )
    # then
    part = OrderPart.objects.get(pk=part.pk)
    assert reopened.state == OrderState.DISPATCHED
    assert part.state == PartState.DISPATCHED and part.replied_on_time is None
    assert part.due_at is not None and reopened.due_at is not None
    assert part.due_at <= reopened.due_at
    assert WorkOrderEvent.objects.filter(part=part, action="part_reopen").count() == 1


def test_closing_the_order_takes_its_parts_out_of_the_inbox(city, assisting):
    order, part = _with_part(city)
    services.order_accept(actor=city.handler, order_id=order.pk)
    services.part_accept(actor=assisting, part_id=part.pk)
    services.part_reply(actor=assisting, part_id=part.pk, reply="已清理")
    services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    services.order_return_visit(
        actor=city.agent, order_id=order.pk, resolved=True, satisfaction="satisfied"
    )
    assert list(selectors.department_parts(assisting)) == []


def test_the_sweep_warns_and_marks_a_part_overdue_once(city, assisting):
    # given
    start = local(2026, 12, 1, 10)
    order = services.order_dispatch(actor=city.agent, order_id=city.create(now=start).pk, now=start)
    part = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
        days=1,
        now=start,
    )
    assert part.due_at is not None
    # when
    warned = services.orders_sweep(now=part.due_at - timedelta(hours=1))
    overdue = services.orders_sweep(now=part.due_at + timedelta(hours=1))
    again = services.orders_sweep(now=part.due_at + timedelta(hours=2))
    # then
    assert (warned.parts_warned, overdue.parts_overdue, again.parts_overdue) == (1, 1, 0)
    assert OrderPart.objects.get(pk=part.pk).overdue_at is not None
    assert WorkOrder.objects.get(pk=order.pk).overdue_at is None


# --- Pages and API ---------------------------------------------------------------------------


def test_the_assisting_department_works_its_part_on_its_pages(client, city, assisting):
    # given: a report (举报), whose informant no department sees
    order, part = _with_part(city, kind="report", contact_name="林女士")
    client.force_login(assisting)
    # when
    inbox = client.get(reverse("hotline:inbox")).content.decode()
    page = client.get(reverse("hotline:part", args=[part.pk])).content.decode()
    client.post(reverse("hotline:part_act", args=[part.pk, "accept"]))
    client.post(reverse("hotline:part_act", args=[part.pk, "reply"]), {"reply": "已清理占道"})
    # then
    assert reverse("hotline:part", args=[part.pk]) in inbox
    assert TASK in page and order.text in page
    assert "林女士" not in page and "8000" not in page
    assert OrderPart.objects.get(pk=part.pk).state == PartState.REPLIED


def test_the_lead_and_other_departments_get_not_found_for_a_part_page(client, city):
    _order, part = _with_part(city)
    for outsider in (city.handler, city.other_handler):
        client.force_login(outsider)
        assert client.get(reverse("hotline:part", args=[part.pk])).status_code == 404
        response = client.post(reverse("hotline:part_act", args=[part.pk, "accept"]))
        assert response.status_code == 404
    assert OrderPart.objects.get(pk=part.pk).state == PartState.DISPATCHED


def test_the_dispatcher_adds_a_part_on_the_order_page_and_the_lead_sees_it(client, city):
    # given
    order = city.dispatched()
    client.force_login(city.dispatcher)
    # when
    client.post(
        reverse("hotline:order_act", args=[order.pk, "part_add"]),
        {"department": city.city_management_tianhe.pk, "task": TASK, "days": ""},
    )
    # then
    part = OrderPart.objects.get(order=order)
    client.force_login(city.handler)
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert f'id="part-{part.pk}"' in html and TASK in html


def test_the_lead_reply_refused_on_the_page_says_which_part_waits(client, city):
    order, _part = _with_part(city)
    services.order_accept(actor=city.handler, order_id=order.pk)
    client.force_login(city.handler)
    response = client.post(
        reverse("hotline:order_act", args=[order.pk, "reply"]), {"reply": "已处理"}
    )
    assert response.status_code == 409
    assert city.city_management_tianhe.name in response.content.decode()


def test_the_part_api_is_scoped_to_the_assisting_department(client, city, assisting):
    # given
    order, part = _with_part(city)
    # when
    client.force_login(assisting)
    listed = client.get("/api/v1/hotline/parts").json()
    accepted = client.post(f"/api/v1/hotline/parts/{part.pk}/accept")
    client.force_login(city.other_handler)
    other = client.get(f"/api/v1/hotline/parts/{part.pk}")
    # then
    assert [row["id"] for row in listed] == [part.pk]
    assert listed[0]["order_number"] == order.number and listed[0]["task"] == TASK
    assert accepted.status_code == 200 and accepted.json()["state"] == "in_progress"
    assert other.status_code == 404
    assert other["Content-Type"].startswith("application/problem+json")
    assert other.json()["code"] == "part_not_found"


def test_the_dispatcher_adds_a_part_through_the_api(client, city):
    order = city.dispatched()
    client.force_login(city.dispatcher)
    response = client.post(
        f"/api/v1/hotline/orders/{order.pk}/parts",
        {"department": city.city_management_tianhe.code, "task": TASK},
        content_type="application/json",
    )
    again = client.post(
        f"/api/v1/hotline/orders/{order.pk}/parts",
        {"department": city.city_management_tianhe.code, "task": TASK},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["department"] == (
        city.city_management_tianhe.code
    )
    assert again.status_code == 409 and again.json()["code"] == "part_exists"


def test_the_dispatcher_withdraws_a_part_being_handled_and_not_a_replied_one(city, assisting):
    order, part = _with_part(city)
    services.part_accept(actor=assisting, part_id=part.pk)
    withdrawn = services.part_cancel(actor=city.dispatcher, part_id=part.pk, reason="不再需要")
    assert withdrawn.state == PartState.CANCELLED
    assert list(selectors.department_parts(assisting)) == []
    other = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
    )
    services.part_accept(actor=assisting, part_id=other.pk)
    services.part_reply(actor=assisting, part_id=other.pk, reply="已清理")
    with pytest.raises(Conflict):
        services.part_cancel(actor=city.dispatcher, part_id=other.pk, reason="不再需要")
    assert OrderPart.objects.get(pk=other.pk).state == PartState.REPLIED


def test_the_agent_adds_an_assisting_department_and_a_photo_at_dispatch(
    client, city, settings, tmp_path
):
    # given
    settings.ONESTOP_HOTLINE_FILES_DIR = str(tmp_path / "files")
    client.force_login(city.agent)
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    photo.name = "site.png"
    # when
    response = client.post(
        reverse("hotline:console"),
        {
            "action": "dispatch",
            "kind": "complaint",
            "category": city.noise.code,
            "region": city.liede.code,
            "text": "猎德社区工地夜间施工噪音扰民，材料占用人行道",
            "phone": "13800138000",
            "assist": [str(city.city_management_tianhe.pk)],
            "assist_task": TASK,
            "files": [photo],
        },
    )
    # then
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert order.state == OrderState.DISPATCHED and order.department == city.environment_tianhe
    assert order.parts.get().department == city.city_management_tianhe
    assert order.attachments.get().content_type == "image/png"


def test_the_figures_count_parts_apart_from_the_leads_orders(city, assisting):
    # given: two parts, one replied on time, one returned
    _order, part = _with_part(city)
    services.part_accept(actor=assisting, part_id=part.pk)
    services.part_reply(actor=assisting, part_id=part.pk, reply="已清理")
    other = city.dispatched()
    returned = services.order_part_add(
        actor=city.dispatcher,
        order_id=other.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
    )
    services.part_return(actor=assisting, part_id=returned.pk, reason="不属本局")
    # when
    today = timezone.localdate()
    figures = hotline_metrics(today, today)
    # then
    assert figures.orders == 2
    assert (figures.parts, figures.parts_on_time_rate, figures.parts_return_rate) == (2, 1.0, 0.5)
    assert "parts_on_time_rate,1.0" in metrics_csv(figures)
