"""A smoke test of the shared layout's accessibility on every page a role can reach, and
screenshots of the staff home at phone and desktop width (var/screenshots/)."""

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import expect

from onestop.core.access import Role
from onestop.core.audit import audit_record
from onestop.portal.tests.staff import citizen_user, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Form controls a person fills in, and whether each has a name a screen reader announces.
UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'
  )).filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
    .map(el => el.outerHTML)"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def assert_page_is_accessible(page) -> None:
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") in {"zh-Hans", "zh-Hant", "en"}
    assert page.title()
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    # Nothing sideways-scrolls at phone width (WCAG 1.4.10 reflow).
    assert page.evaluate(OVERFLOW) <= 0
    # The skip link is the first thing the keyboard reaches, and it lands on the content.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


PUBLIC_PAGES = [
    "portal:home",
    "identity:login",
    "identity:citizen_login",
    "identity:citizen_sms_request",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_meet_the_basics(live_server, page, name):
    # when
    page.goto(f"{live_server.url}{reverse(name)}")

    # then
    assert_page_is_accessible(page)


@pytest.mark.parametrize(
    "name", ["portal:home", "portal:staff_home", "portal:audit_log", "portal:account"]
)
def test_staff_pages_meet_the_basics(live_server, page, signed_in, name):
    # given
    signed_in(staff_user(Role.DATA_STEWARD, Role.WINDOW_CLERK, display_name="罗海燕"))

    # when
    page.goto(f"{live_server.url}{reverse(name)}")

    # then
    assert_page_is_accessible(page)


def test_refusal_page_meets_the_basics(live_server, page, signed_in):
    # given
    signed_in(citizen_user())

    # when
    refused = page.goto(f"{live_server.url}{reverse('portal:staff_home')}")

    # then
    assert refused.status == 403
    assert_page_is_accessible(page)


def test_missing_page_meets_the_basics(live_server, page, signed_in):
    # given
    signed_in(citizen_user())

    # when
    missing = page.goto(f"{live_server.url}/no-such-page/")

    # then
    assert missing.status == 404
    assert_page_is_accessible(page)


@pytest.mark.parametrize("name", ["portal:staff_home", "portal:home", "portal:audit_log"])
def test_screenshots_at_phone_and_desktop_width(live_server, page, signed_in, screenshots, name):
    # given
    user = staff_user(Role.WINDOW_CLERK, Role.DATA_STEWARD, display_name="陈晓雯")
    with transaction.atomic():
        for number in range(3):
            audit_record(
                actor=user,
                action="identity.role_assign",
                obj=user,
                after={"role": "window_clerk", "centre_id": 10 + number},
                reason="新窗口上岗",
            )
    signed_in(user)
    stem = name.split(":")[1].replace("_", "-")

    # when
    page.goto(f"{live_server.url}{reverse(name)}")
    page.screenshot(path=screenshots / f"{stem}-390x844.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=screenshots / f"{stem}-1280x800.png", full_page=True)

    # then
    assert (screenshots / f"{stem}-390x844.png").stat().st_size > 0
    assert (screenshots / f"{stem}-1280x800.png").stat().st_size > 0
    assert page.evaluate(OVERFLOW) <= 0
