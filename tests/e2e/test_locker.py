"""The pickup locker's own touch screen in Chromium, at a phone's size and at the locker's
landscape 1366×900: full screen like the hall's kiosk, no sideways scrolling, keys and
buttons large enough to touch, readable, in simplified and traditional Chinese and English;
the card and the code typed on its keypads open the compartment."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.cases.models import Case
from onestop.delivery import services
from onestop.delivery.devices import SimulatedLockerDevice
from onestop.delivery.tests.factories import issuance
from onestop.hall.tests.contrast import assert_controls_readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LOCKER = {"width": 1366, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
TOO_TALL = "() => document.documentElement.scrollHeight - window.innerHeight"
# The smallest touch target in CSS pixels (WCAG 2.5.5 asks for 44).
TOUCH = 44
SMALLEST_TARGET = """() => Math.min(...Array.from(
    document.querySelectorAll('main button, main a, main input:not([type=hidden]), header button')
  ).filter(e => e.offsetParent !== null).map(e => {
    const r = e.getBoundingClientRect(); return Math.min(r.width, r.height);
  }))"""


@pytest.fixture(autouse=True)
def doors():
    SimulatedLockerDevice.reset()
    yield
    SimulatedLockerDevice.reset()


@pytest.fixture
def waiting(settings, tmp_path, live_server, signed_in):
    """A result in compartment B01 of the centre's locker, its pickup code, and the
    locker's screen signed in as the centre's hall device."""
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")
    place = issuance()
    case = place.awaiting()
    made = services.deposit_make(actor=place.clerk, case_id=case.pk, size="M")
    signed_in(place.device)
    return place, case, made.code, f"{live_server.url}{reverse('delivery:locker')}"


@pytest.mark.parametrize("screen", [("phone", PHONE), ("locker", LOCKER)], ids=["phone", "locker"])
def test_the_locker_screen_is_a_full_screen_kiosk_in_three_languages(
    page, screenshots, waiting, screen
):
    name, size = screen
    *_, url = waiting
    page.set_viewport_size(size)
    page.goto(url)

    # the kiosk's layout, not the staff pages' one
    expect(page.locator("body.kiosk")).to_be_visible()
    expect(page.locator("nav, .site-header")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("自助取件柜")
    expect(page.locator("[data-keypad-for=card]")).to_be_visible()
    expect(page.locator("[data-keypad-for=code]")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    if size == LOCKER:  # the locker's own screen holds it all without scrolling
        assert page.evaluate(TOO_TALL) <= 0
    assert page.evaluate(SMALLEST_TARGET) >= TOUCH
    assert_controls_readable(page)
    page.screenshot(path=str(screenshots / f"locker-{name}-zh-hans.png"), full_page=True)

    for button, heading, language in [
        ("繁體", "自助取件櫃", "zh-hant"),
        ("English", "Pickup locker", "en"),
        ("简体", "自助取件柜", "zh-hans"),
    ]:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.get_by_role("button", name=button, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        assert page.evaluate(OVERFLOW) <= 0
        assert size != LOCKER or page.evaluate(TOO_TALL) <= 0
        if language != "zh-hans":
            page.screenshot(path=str(screenshots / f"locker-{name}-{language}.png"), full_page=True)


def test_the_card_and_the_code_typed_on_the_keypads_open_the_compartment(
    page, screenshots, waiting
):
    place, case, code, url = waiting
    page.set_viewport_size(LOCKER)
    page.goto(url)

    # a wrong code first: refused, with the tries left, and the door stays shut
    page.locator("#card").fill(place.card())
    wrong = "000000" if code != "000000" else "111111"
    for digit in wrong:
        page.locator("[data-keypad-for=code]").get_by_role("button", name=digit, exact=True).click()
    expect(page.locator("#code")).to_have_value(wrong)
    page.get_by_role("button", name="开柜取件").click()
    expect(page.locator("#locker-error")).to_contain_text("取件码不正确")
    page.screenshot(path=str(screenshots / "locker-wrong-code.png"), full_page=True)
    assert Case.objects.get(pk=case.pk).state == "awaiting_delivery"

    # the card's number and the right code on the keypads
    page.goto(url)
    card_keys = page.locator("[data-keypad-for=card]")
    for character in place.card():
        card_keys.get_by_role("button", name=character, exact=True).click()
    expect(page.locator("#card")).to_have_value(place.card())
    for digit in code:
        page.locator("[data-keypad-for=code]").get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="开柜取件").click()
    expect(page.locator("#locker-opened")).to_contain_text("B01")
    expect(page.locator(".locker__door")).to_have_text("B01")
    page.screenshot(path=str(screenshots / "locker-opened.png"), full_page=True)
    assert Case.objects.get(pk=case.pk).state == "delivered"
