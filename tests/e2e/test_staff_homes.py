"""Every role signs in through the real sign-in page and finds its home, in each language."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.core.access import Role
from onestop.portal.tests.staff import PASSWORD, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The labels a reader sees, written out here rather than read from the catalogues, so a
# missing or wrong translation fails.
ROLE_LABELS: dict[Role, dict[str, str]] = {
    Role.WINDOW_CLERK: {"zh-hans": "窗口人员", "zh-hant": "窗口人員", "en": "Window clerk"},
    Role.HALL_MANAGER: {"zh-hans": "大厅管理员", "zh-hant": "大廳管理員", "en": "Hall manager"},
    Role.HALL_DEVICE: {"zh-hans": "大厅设备", "zh-hant": "大廳設備", "en": "Hall device"},
    Role.DEPARTMENT_APPROVER: {
        "zh-hans": "部门审批人员",
        "zh-hant": "部門審批人員",
        "en": "Department approver",
    },
    Role.DEPARTMENT_HEAD: {
        "zh-hans": "部门负责人",
        "zh-hant": "部門負責人",
        "en": "Department head",
    },
    Role.HOTLINE_AGENT: {
        "zh-hans": "12345热线座席",
        "zh-hant": "12345熱線座席",
        "en": "Hotline agent",
    },
    Role.DISPATCHER: {"zh-hans": "派单员", "zh-hant": "派單員", "en": "Dispatcher"},
    Role.DEPARTMENT_HANDLER: {
        "zh-hans": "部门承办人员",
        "zh-hant": "部門承辦人員",
        "en": "Department handler",
    },
    Role.GRID_WORKER: {"zh-hans": "网格员", "zh-hant": "網格員", "en": "Grid worker"},
    Role.GRID_MANAGER: {"zh-hans": "网格管理员", "zh-hant": "網格管理員", "en": "Grid manager"},
    Role.DATA_STEWARD: {"zh-hans": "数据管理员", "zh-hant": "數據管理員", "en": "Data steward"},
    Role.PLATFORM_ADMIN: {
        "zh-hans": "平台管理员",
        "zh-hant": "平台管理員",
        "en": "Platform admin",
    },
}
STAFF_HOME_TITLE = {"zh-hans": "工作台", "zh-hant": "工作台", "en": "Staff home"}
AUDIT_LOG_LABEL = {"zh-hans": "审计日志", "zh-hant": "審計日誌", "en": "Audit log"}
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}


def switch_language(page, language: str) -> None:
    page.select_option("#lang-switch-select", language)
    with page.expect_navigation():
        page.locator(".lang-switch button[type=submit]").click()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_staff_sign_in_and_find_their_role_in_every_language(live_server, page, role):
    # given
    user = staff_user(role, display_name="陈晓雯")
    staff_home = reverse("portal:staff_home")

    # when: the sign-in page sends them on to the page they asked for
    page.goto(f"{live_server.url}{reverse('identity:login')}?next={staff_home}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")

    # then
    assert page.url == f"{live_server.url}{staff_home}"
    nav = page.locator("nav.site-nav")
    for language in ("zh-hant", "en", "zh-hans"):
        switch_language(page, language)
        label = ROLE_LABELS[role][language]
        assert page.url == f"{live_server.url}{staff_home}"
        assert page.locator("html").get_attribute("lang") == HTML_LANG[language]
        expect(page.locator("h1")).to_have_text(STAFF_HOME_TITLE[language])
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "href", f"{staff_home}#role-{role.value}"
        )
        expect(nav.get_by_role("link", name=STAFF_HOME_TITLE[language], exact=True)).to_be_visible()
        expect(page.locator(f"#role-{role.value} h2")).to_have_text(label)
        expect(page.locator(".who")).to_contain_text("陈晓雯")


def test_data_steward_reaches_the_audit_log_from_the_navigation(live_server, page, signed_in):
    # given
    signed_in(staff_user(Role.DATA_STEWARD))
    page.goto(f"{live_server.url}{reverse('portal:staff_home')}")
    switch_language(page, "zh-hans")

    # when
    page.locator("nav.site-nav").get_by_role("link", name=AUDIT_LOG_LABEL["zh-hans"]).click()

    # then
    assert page.url == f"{live_server.url}{reverse('portal:audit_log')}"
    expect(page.locator("h1")).to_have_text(AUDIT_LOG_LABEL["zh-hans"])
    expect(page.locator("nav.site-nav a[aria-current=page]")).to_have_text(
        AUDIT_LOG_LABEL["zh-hans"]
    )


def test_sign_out_from_the_header(live_server, page, signed_in):
    # given
    signed_in(staff_user(Role.WINDOW_CLERK, display_name="陈晓雯"))
    page.goto(f"{live_server.url}{reverse('portal:staff_home')}")
    switch_language(page, "en")

    # when
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    # then
    assert page.url == f"{live_server.url}{reverse('portal:home')}"
    expect(page.locator(".who")).to_have_count(0)
    nav = page.locator("nav.site-nav")
    expect(nav.get_by_role("link", name="Staff sign-in")).to_have_attribute(
        "href", reverse("identity:login")
    )
