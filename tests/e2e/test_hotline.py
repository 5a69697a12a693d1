"""A 12345 call at night, in Chromium: the agent takes a call about construction noise in a
real Tianhe community, sees the similar open order, creates a complaint dispatched to the
Tianhe environment bureau; that bureau's handler (and no other department) sees it without
the caller's full number and replies; the return visit finds the caller unsatisfied and the
order reopens; the dispatcher reads the day's answer rate and on-time rate."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from onestop.hotline import services
from onestop.hotline.enums import OrderState
from onestop.hotline.models import Line, WorkOrder
from onestop.hotline.telephony import InboundCall
from onestop.hotline.tests.factories import PHONE
from onestop.hotline.tests.factories import city as city_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Half past eleven at night, Beijing time: the hotline answers round the clock.
NIGHT = datetime(2026, 12, 2, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
NOISE = "猎德社区工地夜间施工噪音扰民，现在还在打桩"


@pytest.fixture
def night():
    # The browser's clock is its own; the server's is moved, ticking, to the night.
    with time_machine.travel(NIGHT, tick=True):
        yield


@pytest.fixture
def city(tmp_path, night):
    place = city_build(tmp_path)
    line = Line.objects.create(
        code="environment",
        name="生态环境投诉举报热线",
        department=place.environment,
        around_the_clock=True,
    )
    # The call being taken, and one caller who hung up in the queue.
    services.calls_register(
        actor=None,
        calls=[
            InboundCall("sim-1", line.code, PHONE, NIGHT, 12, True, 240),
            InboundCall("sim-2", line.code, "13912345678", NIGHT, 95, False, 0),
        ],
    )
    return place


def test_a_noise_complaint_at_night_from_the_call_to_the_reopened_order(
    live_server, context, page, signed_in, city
):
    earlier = city.dispatched(text="猎德社区工地晚上打桩，噪音很大", contact_phone="13711112222")

    # the agent looks the caller up and finds the similar open order
    signed_in(city.agent)
    page.goto(f"{live_server.url}{reverse('hotline:console')}")
    page.get_by_label("来电号码").fill(PHONE)
    page.get_by_label("来电内容").fill(NOISE)
    page.get_by_label("地点（区、街道或社区）").select_option(city.liede.code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#similar-orders")).to_contain_text(earlier.number)

    # and creates a complaint, routed to the Tianhe environment bureau
    page.locator("#kind").select_option("complaint")
    expect(page.locator("#department")).to_contain_text(city.environment_tianhe.name)
    page.get_by_role("button", name="建单并派单").click()
    expect(page.locator("#order-state")).to_have_text("已派单")
    order = WorkOrder.objects.exclude(pk=earlier.pk).get()
    assert order.department == city.environment_tianhe
    assert order.kind == "complaint"

    # another district's bureau does not find it
    context.clear_cookies()
    signed_in(city.other_handler)
    response = page.goto(f"{live_server.url}{reverse('hotline:order', args=[order.pk])}")
    assert response is not None and response.status == 404

    # the bureau's handler takes it from the inbox, sees the number masked, and replies
    context.clear_cookies()
    signed_in(city.handler)
    page.goto(f"{live_server.url}{reverse('hotline:inbox')}")
    page.get_by_role("link", name=order.number).click()
    expect(page.locator("#order-contact")).not_to_contain_text(PHONE)
    expect(page.locator("#order-contact")).to_contain_text(PHONE[:3] + "****" + PHONE[-4:])
    page.get_by_role("button", name="签收").click()
    page.get_by_label("办理情况").fill("已到现场，责令工地停止夜间施工。")
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator("#order-state")).to_have_text("已答复")

    # the return visit: not resolved, dissatisfied, so the order goes back to the bureau
    context.clear_cookies()
    signed_in(city.agent)
    page.goto(f"{live_server.url}{reverse('hotline:order', args=[order.pk])}")
    page.locator("#return-visit").get_by_label("否").check()
    page.locator("#satisfaction").select_option("dissatisfied")
    page.get_by_role("button", name="记录回访结果").click()
    expect(page.locator("#order-state")).to_have_text("已派单")
    order.refresh_from_db()
    assert (order.state, order.reopen_count) == (OrderState.DISPATCHED, 1)

    # the dispatcher reads the night's figures
    context.clear_cookies()
    signed_in(city.dispatcher)
    page.goto(f"{live_server.url}{reverse('hotline:metrics')}")
    expect(page.locator("#m-answer-rate")).to_have_text("50%")
