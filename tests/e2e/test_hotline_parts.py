"""An order for two bureaus, in Chromium: the citizen adds a photo on the tracking page; the
assisting bureau finds its part in its inbox (and the lead's handler does not reach it),
accepts and replies; the lead sees the part's reply and the photo, then replies for the
whole order."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.core.access import Role
from onestop.hotline import services
from onestop.hotline.models import OrderPart
from onestop.hotline.tests.factories import PHONE, staff_member
from onestop.hotline.tests.factories import city as city_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TASK = "清理工地占用人行道的堆放物"


@pytest.fixture
def city(tmp_path, settings):
    settings.ONESTOP_HOTLINE_FILES_DIR = str(tmp_path / "files")
    return city_build(tmp_path)


def test_an_order_for_two_bureaus_from_the_photo_to_the_leads_reply(
    live_server, context, page, signed_in, city
):
    # given: a complaint led by the Tianhe environment bureau, city management assisting
    order = city.dispatched()
    services.order_accept(actor=city.handler, order_id=order.pk)
    part = services.order_part_add(
        actor=city.dispatcher,
        order_id=order.pk,
        department_id=city.city_management_tianhe.pk,
        task=TASK,
    )
    assisting = staff_member(Role.DEPARTMENT_HANDLER, department=city.city_management_tianhe)

    # the citizen adds a photo of the site on the tracking page
    page.goto(f"{live_server.url}{reverse('hotline:track')}")
    page.locator("#track-form input[name=number]").fill(order.number)
    page.locator("#track-form input[name=phone]").fill(PHONE)
    page.locator("#track-form button[type=submit]").click()
    page.locator("#add-files").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("#add-form button[value=add]").click()
    expect(page.locator("#timeline")).to_contain_text("已添加附件")

    # the lead's handler does not reach the part's page
    signed_in(city.handler)
    response = page.goto(f"{live_server.url}{reverse('hotline:part', args=[part.pk])}")
    assert response is not None and response.status == 404

    # the assisting bureau finds its part, accepts and replies
    context.clear_cookies()
    signed_in(assisting)
    page.goto(f"{live_server.url}{reverse('hotline:inbox')}")
    page.locator("#parts").get_by_role("link", name=order.number).click()
    expect(page.locator("#part-task")).to_contain_text(TASK)
    expect(page.locator("#attachments")).to_contain_text("照片")
    page.get_by_role("button", name="签收").click()
    page.get_by_label("本部门做了什么").fill("已清理人行道堆放物。")
    page.get_by_role("button", name="回复主办部门").click()
    expect(page.locator("#part-state")).to_have_text("已答复")

    # the lead sees the part's reply and replies for the whole order
    context.clear_cookies()
    signed_in(city.handler)
    page.goto(f"{live_server.url}{reverse('hotline:order', args=[order.pk])}")
    expect(page.locator(f"#part-{part.pk}")).to_contain_text("已清理人行道堆放物。")
    page.get_by_label("办理情况").fill("已责令停止夜间施工，人行道已清理。")
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator("#order-state")).to_have_text("已答复")
    assert OrderPart.objects.get(pk=part.pk).state == "replied"
