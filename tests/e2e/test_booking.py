"""A citizen books a slot on the phone page: signs in with the demo's mobile number and
password, chooses the district, the centre, a day and a time, and gets the code and QR."""

from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.appointments.enums import BookingState
from onestop.appointments.models import Booking
from onestop.appointments.services import slot_template_create, slots_generate
from onestop.centres.services import SessionSpec, centre_create
from onestop.demo.accounts import DEMO_CITIZEN_PHONE, DEMO_PASSWORD
from onestop.identity import services
from onestop.identity.tests.factories import platform_admin, region, resident_id
from onestop.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hall():
    """The Tianhe centre open every day from 08:00 to 20:00, social affairs bookable in
    hour-long slots, and the demo citizen."""
    admin = platform_admin()
    centre = centre_create(
        actor=admin,
        code="gz-th",
        name="天河区政务服务中心",
        level="district",
        region=region(),
        address="天河区天府路1号",
        category_codes=["social"],
        sessions=[SessionSpec(day, time(8), time(20)) for day in range(7)],
    )
    slot_template_create(
        actor=admin,
        centre_id=centre.pk,
        category_code="social",
        weekdays=range(7),
        start=time(8),
        end=time(20),
        length_minutes=60,
        capacity=3,
    )
    slots_generate()
    person = services.person_register(
        actor=admin, name="陈晓明", id_number=resident_id(1), phone=DEMO_CITIZEN_PHONE
    )
    return services.citizen_account_create(person=person, password=DEMO_PASSWORD)


def test_a_citizen_books_a_slot_and_sees_the_code_and_qr(live_server, page, hall, screenshots):
    # given: the booking page sends an anonymous visitor to sign in, citizens by phone
    page.goto(f"{live_server.url}{reverse('appointments:book')}")
    page.locator(f"main a[href^='{reverse('identity:citizen_login')}?next=']").click()
    page.fill("input[name=phone]", DEMO_CITIZEN_PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    assert page.url.startswith(f"{live_server.url}{reverse('appointments:book')}")

    # when: district, centre (its one category is chosen), a day with seats, a time
    page.select_option("#district", "440106")
    page.locator("#centre").wait_for()
    page.select_option("#centre", "gz-th")
    page.locator(".day-list a.day:not(.day--full)").first.click()
    page.locator(".slot input:not([disabled])").first.check()
    page.screenshot(path=str(screenshots / "booking-phone-choose.png"), full_page=True)
    with page.expect_navigation():
        page.locator("button.confirm").click()

    # then: the booking's page shows its code and QR
    booking = Booking.objects.get(person=hall.person)
    assert booking.state == BookingState.BOOKED
    assert page.url == f"{live_server.url}{reverse('appointments:detail', args=[booking.pk])}"
    expect(page.locator("[data-booking-code]")).to_have_text(booking.code)
    qr = page.locator(".ticket__qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 200 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(screenshots / "booking-phone-code.png"), full_page=True)


JOURNEYS = [
    # (browser language, window, how the citizen signs in)
    pytest.param(("zh-CN", {"width": 390, "height": 844}, "password"), id="phone-zh-Hans"),
    pytest.param(("en-US", {"width": 1280, "height": 800}, "sms"), id="desktop-en"),
]


@pytest.mark.parametrize("journey", JOURNEYS)
def test_signed_out_booking_leads_to_the_citizen_sign_in_and_back(
    live_server, browser, hall, screenshots, journey
):
    locale, viewport, sign_in = journey
    context = browser.new_context(locale=locale, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # given a signed-out visitor choosing a centre, a day and a time
        page.goto(f"{live_server.url}{reverse('appointments:book')}")
        page.select_option("#district", "440106")
        page.locator("#centre").wait_for()
        page.select_option("#centre", "gz-th")
        expect(page.locator(".opening")).to_be_visible()
        page.locator(".day-list a.day:not(.day--full)").first.click()
        expect(page.locator(".slot input:not([disabled])").first).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        chosen = page.url

        # when they ask to book, they reach the citizen sign-in, not the staff one
        with page.expect_navigation():
            page.locator("a.confirm").click()
        assert page.url.startswith(f"{live_server.url}{reverse('identity:citizen_login')}?next=")
        expect(page.locator("input[name=username]")).to_have_count(0)
        if sign_in == "password":
            page.fill("input[name=phone]", DEMO_CITIZEN_PHONE)
            page.fill("input[name=password]", DEMO_PASSWORD)
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
        else:
            with page.expect_navigation():
                page.locator(f"a[href^='{reverse('identity:citizen_sms_request')}']").click()
            page.fill("input[name=phone]", DEMO_CITIZEN_PHONE)
            with page.expect_navigation():
                page.press("input[name=phone]", "Enter")
            code = (
                OutboxMessage.objects.filter(template="sms_signin_code")
                .latest("pk")
                .context["code"]
            )
            page.fill("input[name=code]", code)
            with page.expect_navigation():
                page.press("input[name=code]", "Enter")

        # then they are back at their choice, and book it
        assert page.url == chosen
        page.locator(".slot input:not([disabled])").first.check()
        with page.expect_navigation():
            page.locator("button.confirm").click()
        booking = Booking.objects.get(person=hall.person)
        expect(page.locator("[data-booking-code]")).to_have_text(booking.code)
        expect(page.locator("[data-reminder]")).to_be_visible()
        page.screenshot(path=str(screenshots / f"booking-{locale}-booked.png"), full_page=True)

        # and a confirmation is on its way, in their language, with the booking's code
        text = OutboxMessage.objects.get(template="booking_confirmation")
        assert text.context["code"] == booking.code
        assert text.language == ("en" if locale == "en-US" else "zh-hans")
    finally:
        context.close()


def test_a_choice_made_the_moment_the_centres_appear_is_not_lost(live_server, page, hall):
    # given: a visitor whose centre is chosen in the same instant its list is swapped in,
    # before the browser runs anything else (a fast hand on a slow phone)
    page.goto(f"{live_server.url}{reverse('appointments:book')}")
    page.evaluate(
        """() => {
            const watch = new MutationObserver(() => {
                const centre = document.querySelector('#centre');
                if (centre && !centre.value) {
                    watch.disconnect();
                    centre.value = 'gz-th';
                    centre.dispatchEvent(new Event('change', {bubbles: true}));
                }
            });
            watch.observe(document.body, {childList: true, subtree: true});
        }"""
    )

    # when: the district is chosen
    page.select_option("#district", "440106")

    # then: the centre's choice is taken up and its days are offered
    expect(page.locator(".day-list a.day").first).to_be_visible()
    expect(page.locator("#centre")).to_have_value("gz-th")
