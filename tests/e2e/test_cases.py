"""A case from the item page to the decision, in Chromium: a citizen applies online with an
upload and chooses the locker; the clerk issues a one-time notice; the citizen completes it;
the clerk accepts; the approver of the department (and not another) approves; the timeline
shows each step and the working days left."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.cases.models import Case
from onestop.cases.tests.factories import PDF
from onestop.cases.tests.factories import office as office_build
from onestop.identity import services as identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(settings, tmp_path):
    """Uploads kept in a directory of the test's own."""
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    return tmp_path


def test_an_online_application_from_the_item_page_to_the_decision(
    live_server, context, page, signed_in, files
):
    place = office_build()
    other = office_build(department_code="GZ-SCJGJ")
    citizen = identity.citizen_account_create(person=place.applicant, password="x-Pass-12345")
    scan = files / "身份证.pdf"
    scan.write_bytes(PDF)

    # the citizen applies from the item page, choosing the locker
    signed_in(citizen)
    page.goto(f"{live_server.url}{reverse('catalog:item_detail', args=[place.item.item_key])}")
    page.get_by_role("link", name="网上申请").click()
    page.get_by_label("自助取件柜").check()
    page.get_by_role("button", name="开始申请").click()
    page.locator("input[type=file]").first.set_input_files(str(scan))
    page.get_by_role("button", name="上传").first.click()
    expect(page.locator(".case-materials")).to_contain_text("身份证.pdf")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#case-state")).to_have_text("已提交")
    case = Case.objects.get(applicant_person=place.applicant)
    assert case.delivery_method == "locker"

    # the clerk of the centre checks it and issues the one-time notice
    context.clear_cookies()
    signed_in(place.clerk)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.get_by_role("button", name="预审本申请").click()
    page.get_by_text("出具一次性告知书").click()
    page.get_by_label("其他问题").fill("申请表缺少签名")
    page.get_by_role("button", name="出具告知书").click()
    expect(page.locator("#case-state")).to_have_text("待补正")

    # the citizen sees the notice and completes it
    context.clear_cookies()
    signed_in(citizen)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    expect(page.locator("#notice")).to_contain_text("申请表缺少签名")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("#case-state")).to_have_text("预审中")

    # the clerk accepts
    context.clear_cookies()
    signed_in(place.clerk)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#case-state")).to_have_text("已受理")
    expect(page.locator("#receipt-link")).to_be_visible()

    # an approver of another department does not find it
    context.clear_cookies()
    signed_in(other.approver)
    response = page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    assert response is not None and response.status == 404

    # the department's approver takes it from the inbox, examines and approves
    context.clear_cookies()
    signed_in(place.approver)
    page.goto(f"{live_server.url}{reverse('cases:inbox')}")
    page.get_by_role("link", name=case.number or "").click()
    page.get_by_role("button", name="领取办件").click()
    page.get_by_role("button", name="完成本环节").click()
    page.get_by_label("准予许可", exact=True).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#case-state")).to_have_text("已决定")

    # the citizen's timeline shows every step
    context.clear_cookies()
    signed_in(citizen)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    timeline = page.locator(".case-timeline")
    for words in ["申请已提交", "一次性告知需补正的材料", "申请已受理", "已作出决定"]:
        expect(timeline).to_contain_text(words)


def test_a_clerk_decides_an_on_the_spot_item_and_the_citizen_rates_it(
    live_server, context, page, signed_in, files
):
    from onestop.catalog.values import Limit

    place = office_build(promised=Limit.immediate())
    citizen = identity.citizen_account_create(person=place.applicant, password="x-Pass-12345")
    case = place.complete(place.start())

    # the clerk accepts and decides it at the window, in one go
    signed_in(place.clerk)
    page.goto(f"{live_server.url}{reverse('cases:window_start')}")
    page.get_by_role("button", name="受理并当场办结").click()
    expect(page.locator("#case-state")).to_have_text("已送达")
    timeline = page.locator(".case-timeline")
    for words in ["申请已受理", "已作出决定", "结果已送达"]:
        expect(timeline).to_contain_text(words)

    # the citizen rates the closed case from its page, once
    context.clear_cookies()
    signed_in(citizen)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.get_by_label("非常满意").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#case-rating")).to_contain_text("非常满意")
    expect(page.locator(".case-timeline")).to_contain_text("服务已评价")
    expect(page.locator("#case-rate")).to_have_count(0)
