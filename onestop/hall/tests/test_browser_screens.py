"""The kiosk, the window console, the call board and the phone status page in a real
browser, at a phone and a desktop size, in Chinese and English: every button and link is
readable (a computed WCAG contrast check, not a "needs review"), a newcomer types their ID
on the kiosk's keypad and takes a number, the console says who is at the window and where
a converted ticket went, and the board marks the call being made now."""

# The shared browser fixtures are imported by name, and so are redefined as arguments.
# ruff: noqa: F811

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from onestop.hall import services
from onestop.hall.models import Ticket
from onestop.hall.tests.contrast import assert_controls_readable, contrast_of_controls
from onestop.hall.tests.factories import at, hall, person
from onestop.hall.urls import PUBLIC_URL_NAMES
from onestop.identity import middleware
from onestop.identity.models import Person
from tests.e2e.conftest import browser, screenshots  # noqa: F401
from tests.e2e.test_hall import SPEECH_RECORDER, asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
KIOSK = {"width": 1080, "height": 1920}
NEW_CARD = "11010519491231002X"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(autouse=True)
def public_hall_pages(monkeypatch):
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture(autouse=True)
def ten_to_ten_on_a_tuesday():
    with time_machine.travel(at(9, 50), tick=True):
        yield


@pytest.fixture
def h():
    return hall()


def _screen(browser, base: str, *, size: dict, language: str, user=None):
    context = browser.new_context(
        locale="en-US" if language == "en" else "zh-CN",
        viewport=size,
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base})
    context.add_cookies(cookies)
    return context.new_page()


def _busy_hall(h):
    """Window 1 open with a named visitor at it; a second ticket waiting; one called earlier."""
    h.open(0, "all", now=at(9))
    earlier = h.issue("social", "consultation", now=at(9, 5))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 10))
    services.ticket_start(actor=h.clerks[0], ticket_id=earlier.pk, now=at(9, 11))
    services.ticket_finish(actor=h.clerks[0], ticket_id=earlier.pk, now=at(9, 20))
    visitor = person(name="王小明")
    at_window = h.issue("social", "consultation", person=visitor, now=at(9, 30))
    waiting = h.issue("business", now=at(9, 31))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 40))
    return at_window, waiting


def test_the_contrast_check_fails_on_unreadable_buttons(browser):
    # given: white on white, as the console's buttons once were, and one that is fine
    page = browser.new_page()
    page.set_content(
        '<main style="background:#fff"><button style="background:transparent;color:#fff;'
        'border:2px solid #fff">过号</button><a href="#" style="color:#0b4a86">帮助</a></main>'
    )

    # when
    checked = {c["text"]: c["ratio"] for c in contrast_of_controls(page)}

    # then
    assert checked["过号"] == 1.0
    assert checked["帮助"] > 7
    with pytest.raises(AssertionError, match="过号"):
        assert_controls_readable(page)
    page.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_hall_screen_is_readable(  # noqa: PLR0917
    browser, live_server, h, size, language, screenshots
):
    # given
    base = live_server.url
    at_window, _ = _busy_hall(h)
    kiosk = _screen(
        browser, base, size=KIOSK if size is DESKTOP else size, language=language, user=h.kiosk
    )
    clerk = _screen(browser, base, size=size, language=language, user=h.clerks[0])
    visitor = _screen(browser, base, size=size, language=language)
    walk_in = reverse("hall:kiosk_walk_in")
    pages = [
        (kiosk, reverse("hall:kiosk")),
        (kiosk, f"{walk_in}?category=social&kind=acceptance"),
        (kiosk, reverse("hall:kiosk_appointment")),
        (kiosk, reverse("hall:kiosk_ticket", args=[at_window.public_token])),
        (clerk, reverse("hall:console")),
        (visitor, reverse("hall:board", args=[h.centre.code])),
        (visitor, reverse("hall:ticket_status", args=[at_window.public_token])),
    ]
    tag = f"{'phone' if size is PHONE else 'desktop'}-{language}"

    for page, path in pages:
        # when
        page.goto(f"{base}{path}")

        # then
        checked = assert_controls_readable(page)
        assert checked, f"{path}: no buttons or links found"
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {size}"
    clerk.screenshot(path=str(screenshots / f"hall-console-{tag}.png"), full_page=True)
    kiosk.goto(f"{base}{walk_in}?category=social&kind=acceptance")
    kiosk.screenshot(path=str(screenshots / f"hall-kiosk-keypad-{tag}.png"), full_page=True)


@pytest.mark.parametrize(
    ("language", "size"), [("zh-hans", KIOSK), ("en", PHONE)], ids=["zh-kiosk", "en-phone"]
)
def test_a_newcomer_types_their_id_on_the_keypad_and_takes_a_number(
    browser,
    live_server,
    h,
    language,
    size,
):
    # given
    kiosk = _screen(browser, live_server.url, size=size, language=language, user=h.kiosk)
    kiosk.goto(f"{live_server.url}{reverse('hall:kiosk_walk_in')}?category=social&kind=acceptance")
    keypad = kiosk.locator("[data-keypad-for='id_card']")
    expect(keypad).to_be_visible()

    # when: a wrong key, taken back, then the number, with no keyboard
    keypad.locator("[data-key='7']").click()
    keypad.locator("[data-key='back']").click()
    for key in NEW_CARD:
        keypad.locator(f"[data-key='{key}']").click()
    expect(kiosk.locator("#id_card")).to_have_value(NEW_CARD)
    expect(kiosk.locator("#keypad-status")).to_contain_text("0 0 2 X")
    kiosk.locator("form.kiosk__form button.kiosk__button--primary").click()

    # then: a number, and the card's holder registered on first sight
    expect(kiosk.locator("#ticket-number")).to_have_text("F001")
    ticket = Ticket.objects.get()
    assert ticket.person == Person.objects.get()
    assert_controls_readable(kiosk)


def test_the_clear_key_empties_the_booking_code(browser, live_server, h):
    kiosk = _screen(browser, live_server.url, size=KIOSK, language="en", user=h.kiosk)
    kiosk.goto(f"{live_server.url}{reverse('hall:kiosk_appointment')}")
    keypad = kiosk.locator("[data-keypad-for='id_code']")
    for key in "AB23":
        keypad.locator(f"[data-key='{key}']").click()
    expect(kiosk.locator("#id_code")).to_have_value("AB23")

    keypad.locator("[data-key='clear']").click()

    expect(kiosk.locator("#id_code")).to_have_value("")
    expect(keypad.locator("[data-key='back']")).to_have_attribute(
        "aria-label", "Delete the last character"
    )


@pytest.mark.parametrize(
    ("language", "size"), [("zh-hans", DESKTOP), ("en", PHONE)], ids=["zh-desktop", "en-phone"]
)
def test_the_console_shows_the_visitor_and_says_where_a_conversion_went(
    browser,
    live_server,
    h,
    language,
    size,
):
    # given: window 1 serves only social affairs' consultations
    only = services.profile_save(
        actor=h.manager, centre_id=h.centre.pk, name="咨询", queues=[("social", "consultation")]
    )
    services.window_open(
        actor=h.clerks[0], window_id=h.windows[0].pk, profile_id=only.pk, now=at(9)
    )
    visitor = person(name="王小明")
    h.issue("social", "consultation", person=visitor, now=at(9, 30))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 40))
    clerk = _screen(browser, live_server.url, size=size, language=language, user=h.clerks[0])

    # when
    clerk.goto(f"{live_server.url}{reverse('hall:console')}")

    # then: who is at the window, masked
    expect(clerk.locator(".console__name")).to_have_text("王**")
    expect(clerk.locator(".console__id")).to_contain_text(visitor.id_number_masked)
    expect(clerk.locator("button[value='no_show']")).to_be_visible()
    expect(clerk.locator("[data-action='close']")).to_be_visible()
    assert_controls_readable(clerk)

    # when: the consultation becomes an acceptance this window does not serve
    clerk.select_option("#convert-kind", "acceptance")
    clerk.click("button[value='convert']")

    # then: a message says where it went, and the window lists it while it waits
    expect(clerk.locator(".console__notice")).to_contain_text("C001")
    expect(clerk.locator(".console__sent [data-display='C001']")).to_have_attribute(
        "data-queue", "social/acceptance"
    )
    assert_controls_readable(clerk)


def test_the_board_marks_the_call_being_made_now(browser, asgi_server, h, screenshots):
    # given: C001 was called at window 1
    h.open(0, now=at(9))
    h.open(1, now=at(9))
    h.issue("social", "consultation", now=at(9, 30))
    h.issue("social", "consultation", now=at(9, 31))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 40))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    context.add_init_script(SPEECH_RECORDER)
    board = context.new_page()
    errors: list[str] = []
    board.on("pageerror", lambda error: errors.append(str(error)))
    board.goto(f"{asgi_server}{reverse('hall:board', args=[h.centre.code])}")
    expect(board.locator("#board-status")).to_have_attribute("data-state", "live")
    now = board.locator("#board-now")
    expect(now.locator("[data-display]")).to_have_attribute("data-display", "C001")
    assert now.get_attribute("aria-live") == "assertive"
    assert board.locator("#calls").get_attribute("aria-live") is None

    # when: the clerk at window 2 calls C002
    clerk = _screen(browser, asgi_server, size=DESKTOP, language="zh-hans", user=h.clerks[1])
    clerk.goto(f"{asgi_server}{reverse('hall:console')}")
    clerk.click("#call-next")
    expect(clerk.locator(".console__number")).to_have_attribute("data-display", "C002")

    # then: C002 is now calling, marked; C001 heads the earlier calls
    expect(now.locator("[aria-current='true']")).to_have_attribute("data-display", "C002")
    expect(now).to_contain_text("请C002号到2号窗口")
    expect(board.locator("#calls [data-display]").first).to_have_attribute("data-display", "C001")
    expect(board.locator("#calls .board__call--newest")).to_have_count(0)
    assert [e for e in errors if "not defined" in e or "TypeError" in e] == []
    board.screenshot(path=str(screenshots / "hall-board-now.png"))
    board.emulate_media(reduced_motion="reduce")
    assert_controls_readable(board)
    context.close()
