"""The hall on its busiest day, in a real browser: a walk-in takes a consultation number at
the kiosk (a 1080×1920 portrait screen), the call board hears the clerk press "call next"
and says it aloud, the clerk converts the consultation to an acceptance and finishes it, and
the citizen's phone page offers the rating; then a booking made online checks in at the
kiosk with its code and is called in its turn.

The pages and their WebSockets are served by uvicorn in this process (pytest-django's live
server speaks no WebSocket), with the in-memory channel layer, on the test database.
"""

import socket
import threading
import time
from datetime import date, datetime
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from onestop.appointments.models import Slot
from onestop.appointments.services import booking_create, slot_template_create, slots_generate
from onestop.hall.models import Ticket
from onestop.hall.tests.factories import at, hall
from onestop.hall.urls import PUBLIC_URL_NAMES
from onestop.identity import middleware
from onestop.identity.tests.factories import citizen, platform_admin
from tests.e2e.test_accessibility import assert_page_is_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 30)
SPEECH_RECORDER = """
window.__spoken = [];
if (!window.SpeechSynthesisUtterance) {
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speak: function (u) { if (u.text) window.__spoken.push(u.text); },
    cancel: function () {},
  },
});
"""


@pytest.fixture(autouse=True)
def public_hall_pages(monkeypatch):
    """The board and the status page on the public list, as onestop.identity.public will
    have them."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture(autouse=True)
def ten_to_ten_on_a_tuesday():
    """The hall is open: Tuesday 1 December 2026, 09:50, and the clock runs."""
    with time_machine.travel(at(9, 50), tick=True):
        yield


@pytest.fixture
def asgi_server(transactional_db):
    import uvicorn

    from config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def h():
    return hall()


def _screen(browser, base: str, user=None, **options):
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def _booking(h):
    """A citizen's booking made online on Monday for Tuesday 10:00–10:30, social affairs."""
    slot_template_create(
        actor=platform_admin(),
        centre_id=h.centre.pk,
        category_code="social",
        weekdays=range(5),
        start=clock(9),
        end=clock(12),
        length_minutes=30,
        capacity=2,
    )
    slots_generate(today=MONDAY, days=3)
    starts = datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)
    slot = Slot.objects.get(centre=h.centre, starts_at=starts)
    monday_ten = datetime.combine(MONDAY, clock(10), tzinfo=SHANGHAI)
    return booking_create(actor=citizen(), slot_id=slot.pk, now=monday_ten)


def test_a_walk_in_is_called_on_the_board_served_converted_and_finished(
    browser, asgi_server, h, screenshots
):
    base = asgi_server
    kiosk = _screen(browser, base, h.kiosk, viewport={"width": 1080, "height": 1920}).new_page()
    board_context = _screen(browser, base, viewport={"width": 1920, "height": 1080})
    board_context.add_init_script(SPEECH_RECORDER)
    board = board_context.new_page()
    clerk = _screen(browser, base, h.clerks[0], viewport={"width": 1280, "height": 900}).new_page()

    # A walk-in takes a consultation number without a card.
    kiosk.goto(f"{base}{reverse('hall:kiosk')}")
    kiosk.click(f"a[href='{reverse('hall:kiosk_walk_in')}']")
    kiosk.click("[data-category='social']")
    kiosk.click("[data-kind='consultation']")
    kiosk.click("button[name='skip']")
    expect(kiosk.locator("#ticket-number")).to_have_text("C001")
    expect(kiosk.locator("[data-ahead]")).to_have_attribute("data-ahead", "0")
    expect(kiosk.locator(".kiosk__qr svg")).to_have_count(1)
    assert kiosk.evaluate("() => document.documentElement.scrollWidth") <= 1080
    kiosk.screenshot(path=str(screenshots / "hall-kiosk-ticket.png"))
    status_url = kiosk.locator("a[href*='/receipt/']").get_attribute("href")
    token = status_url.split("/")[-3]

    # The board is live; the clerk signs in at window 1 and calls next.
    board.goto(f"{base}{reverse('hall:board', args=[h.centre.code])}")
    expect(board.locator("#board-status")).to_have_attribute("data-state", "live")
    clerk.goto(f"{base}{reverse('hall:console')}")
    clerk.select_option("#console-window", str(h.windows[0].pk))
    clerk.select_option("#console-profile", str(h.profiles["social"].pk))
    clerk.click("form.console__sign-in button")
    expect(clerk.locator(".console__why [data-reason='profile_order']")).to_have_count(1)
    clerk.click("#call-next")
    expect(clerk.locator(".console__number")).to_have_attribute("data-state", "called")

    # The board shows C001 → 1, newest and blinking, and says it in Chinese.
    newest = board.locator(".board__call--newest")
    expect(newest).to_have_attribute("data-display", "C001")
    expect(newest).to_have_attribute("data-window", "1")
    board.wait_for_function("() => window.__spoken.length > 0")
    assert board.evaluate("() => window.__spoken") == ["请C001号到1号窗口"]
    board.screenshot(path=str(screenshots / "hall-board.png"))

    # The clerk serves, converts the consultation to an acceptance there, and finishes.
    clerk.click("button[value='start']")
    expect(clerk.locator(".console__number")).to_have_attribute("data-state", "serving")
    clerk.select_option("#convert-kind", "acceptance")
    clerk.click("button[value='convert']")
    expect(clerk.locator(".console__number")).to_have_attribute("data-kind", "acceptance")
    expect(clerk.locator(".console__number")).to_have_attribute("data-state", "serving")
    clerk.click("button[value='finish']")
    expect(clerk.locator(".console__idle")).to_be_visible()
    assert Ticket.objects.get(display="C001", parent__isnull=False).state == "done"

    # The citizen's phone page says it is done and offers the rating.
    phone = _screen(browser, base, viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{base}{reverse('hall:ticket_status', args=[token])}")
    expect(phone.locator(f"a[href='/ratings/t/{token}/']")).to_have_count(1)
    assert_page_is_accessible(phone)


def test_a_booking_checks_in_at_the_kiosk_and_is_called_on_the_board(
    browser, asgi_server, h, screenshots
):
    base = asgi_server
    booking = _booking(h)
    kiosk = _screen(browser, base, h.kiosk, viewport={"width": 1080, "height": 1920}).new_page()
    board_context = _screen(browser, base, viewport={"width": 1920, "height": 1080})
    board_context.add_init_script(SPEECH_RECORDER)
    board = board_context.new_page()
    clerk = _screen(browser, base, h.clerks[0], viewport={"width": 1280, "height": 900}).new_page()

    # The citizen types the booking's code (as a scanner types its QR).
    kiosk.goto(f"{base}{reverse('hall:kiosk')}")
    kiosk.click(f"a[href='{reverse('hall:kiosk_appointment')}']")
    kiosk.fill("#id_code", booking.code)
    kiosk.press("#id_code", "Enter")
    expect(kiosk.locator("#ticket-number")).to_have_text("F001")
    expect(kiosk.locator(".kiosk__note")).to_be_visible()
    kiosk.screenshot(path=str(screenshots / "hall-kiosk-appointment.png"))

    # The same code again: a large friendly refusal, and no second number.
    kiosk.goto(f"{base}{reverse('hall:kiosk_appointment')}")
    kiosk.fill("#id_code", booking.code)
    kiosk.press("#id_code", "Enter")
    expect(kiosk.locator(".kiosk__error")).to_have_attribute("data-code", "checkin_already_used")
    assert Ticket.objects.count() == 1

    # Nobody else is waiting: the window takes the early appointment.
    board.goto(f"{base}{reverse('hall:board', args=[h.centre.code])}")
    expect(board.locator("#board-status")).to_have_attribute("data-state", "live")
    clerk.goto(f"{base}{reverse('hall:console')}")
    clerk.select_option("#console-window", str(h.windows[0].pk))
    clerk.select_option("#console-profile", str(h.profiles["social"].pk))
    clerk.click("form.console__sign-in button")
    expect(clerk.locator(".console__why [data-reason='early_appointment_idle']")).to_have_count(1)
    clerk.click("#call-next")
    expect(board.locator(".board__call--newest")).to_have_attribute("data-display", "F001")
    board.wait_for_function("() => window.__spoken.length > 0")
    assert board.evaluate("() => window.__spoken") == ["请F001号到1号窗口"]


def test_a_visitor_gives_up_a_number_and_the_one_behind_moves_up_live(
    browser, asgi_server, h, screenshots
):
    base = asgi_server
    h.open(0, now=at(9))
    first = h.issue("social", now=at(9, 40))
    second = h.issue("social", now=at(9, 41))
    leaving = _screen(browser, base, viewport={"width": 390, "height": 844}).new_page()
    staying = _screen(browser, base, viewport={"width": 390, "height": 844}).new_page()
    staying.goto(f"{base}{reverse('hall:ticket_status', args=[second.public_token])}")
    expect(staying.locator("dd[data-ahead]")).to_have_attribute("data-ahead", "1")

    # The first visitor opens "no longer need this number?" and gives it up.
    leaving.goto(f"{base}{reverse('hall:ticket_status', args=[first.public_token])}")
    leaving.click(".hall-status__withdraw summary")
    leaving.screenshot(path=str(screenshots / "hall-phone-give-up.png"))
    leaving.click(".hall-status__withdraw button[type='submit']")
    expect(leaving.locator(".message--success")).to_contain_text(first.display)
    expect(leaving.locator(".hall-status__withdraw")).to_have_count(0)
    assert_page_is_accessible(leaving)

    # The one behind is now first, without reloading the page.
    expect(staying.locator("dd[data-ahead]")).to_have_attribute("data-ahead", "0")
    assert Ticket.objects.get(pk=first.pk).state == "cancelled"
