"""A case from the item page to the citizen's hands, in Chromium: a citizen applies online
with an upload and chooses the locker; the clerk issues a one-time notice; the citizen
completes it; the clerk accepts; the approver of the department (and not another) approves;
the result goes to the locker; the citizen opens it with the SMS code and the ID card; the
timeline shows each step with the working days used and left, across National Day 2026.

Time: the live server runs in a thread of the test's own process, so `time_machine` moves
the clock of the pages and of the services alike (every view reads `timezone.now()`); the
journey walks from Tuesday 29 September 2026 over the National Day holiday (1–7 October, and
Saturday 10 October, an adjusted working day 调休) to Monday 12 October."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from onestop.cases.models import Case
from onestop.cases.tests.factories import PDF, moment, staff_of_department
from onestop.cases.tests.factories import office as office_build
from onestop.core import pii
from onestop.core.access import Role
from onestop.core.workdays import add_working_days, working_days_between
from onestop.delivery.tests.factories import locker_at
from onestop.hall.tests.factories import staff_at
from onestop.identity import services as identity
from onestop.notifications import backends
from onestop.notifications.services import outbox_deliver_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(settings, tmp_path):
    """Uploads kept in a directory of the test's own."""
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    return tmp_path


@pytest.fixture
def sms(settings):
    """The platform's in-memory SMS gateway (the one tests run with), emptied before and
    after: what the outbox's worker hands it is what a phone would receive."""
    settings.ONESTOP_SMS_BACKEND = "memory"
    backends.memory_reset()
    yield backends.memory_outbox
    backends.memory_reset()


def _step(page, words: str):
    """The timeline entry of a step, by its words."""
    return page.locator(".case-timeline li").filter(has_text=words)


@pytest.fixture
def clock():
    """The platform's clock on Tuesday 29 September 2026, moved on by the journey."""
    traveller = time_machine.travel(moment(2026, 9, 29, 9, 30), tick=True)
    yield traveller.start()
    traveller.stop()


@dataclass
class Browser:
    """One browser tab that signs in as one user after another."""

    live_server: Any
    context: Any
    page: Any
    signed_in: Any

    def as_(self, user) -> None:
        self.context.clear_cookies()
        self.signed_in(user)

    def go(self, path: str):
        return self.page.goto(f"{self.live_server.url}{path}")


@pytest.fixture
def tab(live_server, context, page, signed_in) -> Browser:
    return Browser(live_server, context, page, signed_in)


def test_an_online_application_from_the_item_page_to_the_locker_across_national_day(
    tab, files, sms, clock
):
    page = tab.page
    place = office_build()  # 5 working days promised
    other = office_build(department_code="GZ-SCJGJ")
    locker = locker_at(place.centre)
    device = staff_at(place.centre, Role.HALL_DEVICE)
    card = pii.reveal(place.applicant, "id_number")
    citizen = identity.citizen_account_create(person=place.applicant, password="x-Pass-12345")
    scan = files / "身份证.pdf"
    scan.write_bytes(PDF)

    def open_case() -> None:
        tab.go(reverse("cases:detail", args=[case.pk]))

    # Tuesday 29 September: the citizen applies from the item page, choosing the locker
    tab.as_(citizen)
    tab.go(reverse("catalog:item_detail", args=[place.item.item_key]))
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
    assert case.received_on == date(2026, 9, 29)

    # the clerk of the centre checks it and issues the one-time notice (the clock stops)
    clock.move_to(moment(2026, 9, 29, 11))
    tab.as_(place.clerk)
    open_case()
    page.get_by_role("button", name="预审本申请").click()
    page.get_by_text("出具一次性告知书").click()
    page.get_by_label("其他问题").fill("申请表缺少签名")
    page.get_by_role("button", name="出具告知书").click()
    expect(page.locator("#case-state")).to_have_text("待补正")

    # Wednesday 30 September: the citizen sees the notice and completes it (it runs again)
    clock.move_to(moment(2026, 9, 30, 9, 30))
    tab.as_(citizen)
    open_case()
    expect(page.locator("#notice")).to_contain_text("申请表缺少签名")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("#case-state")).to_have_text("预审中")

    # the clerk accepts, the day before the holiday
    clock.move_to(moment(2026, 9, 30, 10, 30))
    tab.as_(place.clerk)
    open_case()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#case-state")).to_have_text("已受理")
    expect(page.locator("#receipt-link")).to_be_visible()
    # Five working days from 30 September skip 1–7 October and count Saturday 10 October.
    due = add_working_days(date(2026, 9, 30), 5)
    assert due == date(2026, 10, 13)
    expect(page.locator("#case-clock")).to_contain_text("2026-10-13")

    # an approver of another department does not find it
    tab.as_(other.approver)
    response = tab.go(reverse("cases:detail", args=[case.pk]))
    assert response is not None and response.status == 404

    # Friday 9 October, after the holiday: the department's approver takes it from the
    # inbox, examines and approves; two working days are used, three left
    clock.move_to(moment(2026, 10, 9, 10))
    tab.as_(place.approver)
    tab.go(reverse("cases:inbox"))
    page.get_by_role("link", name=case.number or "").click()
    page.get_by_role("button", name="领取办件").click()
    expect(page.locator("#case-clock")).to_contain_text("2026-10-13")
    page.get_by_role("button", name="完成本环节").click()
    page.get_by_label("准予许可", exact=True).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#case-state")).to_have_text("已决定")
    page.get_by_role("button", name="结果已制作").click()
    expect(page.locator("#case-state")).to_have_text("结果已制作")

    # Saturday 10 October, a working day in lieu: the result reaches the issuance window,
    # where the clerk puts it in a medium compartment of the locker
    clock.move_to(moment(2026, 10, 10, 9, 30))
    tab.as_(place.clerk)
    open_case()
    page.get_by_role("button", name="出件窗口已收到结果").click()
    expect(page.locator("#case-state")).to_have_text("待送达")
    tab.go(reverse("delivery:window"))
    row = page.locator(f"#case-{case.pk}")
    row.get_by_label("尺寸").select_option("M")
    row.get_by_role("button", name="存入取件柜").click()
    expect(page.locator(".message--success")).to_contain_text("B01")

    # the outbox's worker hands the SMS to the gateway: the pickup code reaches the phone
    outbox_deliver_due()
    phone = pii.reveal(case, "contact_phone")
    texts = [m.text for m in sms if m.phone == phone and "取件码" in m.text]
    assert len(texts) == 1, [m.text for m in sms]
    assert locker.name in texts[0] and "B01" in texts[0]
    code = re.search(r"取件码\s*(\d{6})", texts[0])
    assert code is not None

    # Monday 12 October: at the locker's screen, the ID card on the reader and the code
    clock.move_to(moment(2026, 10, 12, 10))
    tab.as_(device)
    tab.go(reverse("delivery:locker"))
    page.locator("#card").fill(card)
    page.locator("#code").fill(code.group(1))
    page.get_by_role("button", name="开柜取件").click()
    expect(page.locator("#locker-opened")).to_contain_text("B01")
    case.refresh_from_db()
    assert case.state == "delivered"

    # the citizen's timeline shows every step, and the working days of each on the clock
    tab.as_(citizen)
    open_case()
    expect(page.locator("#case-state")).to_have_text("已送达")
    timeline = page.locator(".case-timeline")
    for words in [
        "申请已提交",
        "一次性告知需补正的材料",
        "申请已受理",
        "已作出决定",
        "结果已制作",
        "结果已送至出件窗口",
        "结果已送达",
    ]:
        expect(timeline).to_contain_text(words)
    used = working_days_between(date(2026, 9, 30), date(2026, 10, 9))
    assert used == 2  # 8 and 9 October: the holiday and the stopped clock do not count
    expect(_step(page, "申请已受理")).to_contain_text("时限5个工作日，已用0个，剩余5个")
    decided = _step(page, "已作出决定")
    expect(decided).to_contain_text(f"时限5个工作日，已用{used}个，剩余{5 - used}个")
    expect(decided).to_contain_text("已用2个，剩余3个")
    expect(_step(page, "结果已送达").locator(".case-timeline__days")).to_have_count(0)


def test_a_cross_district_case_accepted_in_tianhe_is_decided_by_the_yuexiu_bureau(tab):
    # given a 越秀 district item handled anywhere (通办), started at a 天河 centre's window
    place = office_build(
        department_code="GZ-GAJ-440104", level="district", region_ref="440104", cross_district=True
    )
    assert place.centre.region.code == "440106"  # 天河区
    tianhe_approver = staff_of_department(Role.DEPARTMENT_APPROVER, "GZ-GAJ-440106")
    case = place.complete(place.start(now=timezone.now()), now=timezone.now())
    page = tab.page

    # when the 天河 centre's clerk accepts it
    tab.as_(place.clerk)
    tab.go(reverse("cases:detail", args=[case.pk]))
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#case-state")).to_have_text("已受理")

    # then the 天河 bureau's approver does not find it, in the inbox or by its id
    tab.as_(tianhe_approver)
    tab.go(reverse("cases:inbox"))
    expect(page.get_by_role("link", name=case.number or "")).to_have_count(0)
    response = tab.go(reverse("cases:detail", args=[case.pk]))
    assert response is not None and response.status == 404

    # and the 越秀 bureau's approver decides it
    tab.as_(place.approver)
    tab.go(reverse("cases:inbox"))
    page.get_by_role("link", name=case.number or "").click()
    expect(page.locator(".facts")).to_contain_text("越秀")
    page.get_by_role("button", name="领取办件").click()
    page.get_by_role("button", name="完成本环节").click()
    page.get_by_label("准予许可", exact=True).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#case-state")).to_have_text("已决定")
    decided = Case.objects.select_related("centre__region", "department").get(pk=case.pk)
    assert decided.centre is not None and decided.centre.region.code == "440106"
    assert decided.department.code == "GZ-GAJ-440104"
    assert decided.decided_by_id == place.approver.pk


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
