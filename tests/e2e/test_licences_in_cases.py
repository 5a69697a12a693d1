"""E-licences in cases, in Chromium (decision 0036): the approver's grant issues the
licence; the citizen finds it in the wallet; their next application for an item that needs
it does not ask for it and files an annotated copy (加注件) instead."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.cases.demo import OPERATOR_LICENCE, operator_licence_define
from onestop.cases.models import Case
from onestop.cases.tests.factories import office as office_build
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.tests.factories import published_item
from onestop.identity import services as identity
from onestop.licences.models import Licence, LicenceUse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(settings, tmp_path):
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    return tmp_path


def test_a_granted_licence_reaches_the_wallet_and_replaces_paper_next_time(
    live_server, context, page, signed_in, files
):
    place = office_build(department_code="GZ-SCJGJ")
    operator_licence_define(actor=None, item_keys=[place.item.item_key])
    renewal = published_item(
        item_key="e2e-tzsb-fs",
        name="特种设备作业人员证复审",
        department_ref="GZ-SCJGJ",
        materials=[
            MaterialValue(name=OPERATOR_LICENCE, e_licence_type=OPERATOR_LICENCE),
            MaterialValue(name="复审申请表", requirement="conditional"),
        ],
    )
    citizen = identity.citizen_account_create(person=place.applicant, password="x-Pass-12345")
    case = place.ready_to_decide()

    # the department's approver approves: the licence is issued with the decision
    signed_in(place.approver)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.get_by_label("准予许可", exact=True).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#case-state")).to_have_text("已决定")
    licence = Licence.objects.get(case_id=case.pk)
    expect(page.locator("#case-licences")).to_contain_text(licence.identifier)
    assert licence.credential_sealed != ""  # signed once the decision committed

    # the citizen sees it in the wallet
    context.clear_cookies()
    signed_in(citizen)
    page.goto(f"{live_server.url}{reverse('licences:wallet')}")
    expect(page.locator("#wallet")).to_contain_text(OPERATOR_LICENCE)

    # applying for the renewal, the form does not ask for the licence
    page.goto(f"{live_server.url}{reverse('cases:apply', args=[renewal.item_key])}")
    expect(page.locator("#from-licences")).to_contain_text(licence.number)
    expect(page.locator("main ul").first).not_to_contain_text(OPERATOR_LICENCE)
    page.get_by_role("button", name="开始申请").click()
    row = page.locator(".case-materials tr", has_text=OPERATOR_LICENCE)
    expect(row.locator(".annotated-copy")).to_contain_text(licence.number)
    second = Case.objects.get(item_key=renewal.item_key)
    assert LicenceUse.objects.get(case_id=second.pk).licence_id == licence.pk

    # and the application goes in without anything uploaded
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#case-state")).to_have_text("已提交")
