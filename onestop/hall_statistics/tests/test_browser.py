"""In a real browser: a visitor rates a finished visit on the phone page, and the hall
manager's statistics show the visit and its rating; the live board refreshes by itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.hall.tests.factories import DAY
from onestop.hall_statistics.tests.scripted import scripted_day
from onestop.ratings.models import Rating
from tests.e2e.conftest import browser, context, page, screenshots, signed_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rated_visit_shows_in_the_managers_statistics(live_server, page, signed_in, screenshots):  # noqa: F811
    # given: the scripted morning; T5 (an appointment, served at window 2) is not rated yet
    day = scripted_day()
    visit = day.t["T5"]

    # when: the visitor rates it from the link on their ticket
    page.goto(f"{live_server.url}{reverse('ratings:rate', args=[visit.public_token])}")
    page.locator(".rating-level--4").click()
    page.locator("input[name=reasons][value=efficiency]").check()
    page.screenshot(path=str(screenshots / "rating-phone.png"), full_page=True)
    page.locator(".rating-submit").click()

    # then
    expect(page.locator("#rating-done")).to_be_visible()
    assert Rating.objects.get(ticket=visit).level == 4

    # when: the manager opens the statistics by window for that day
    signed_in(day.place.manager)
    url = reverse("hall_statistics:centre", args=[day.place.centre.code])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{url}?start={DAY}&end={DAY}&by=window")

    # then: window 2 served T4', T6 and T5, and three of its visits are now rated
    window_two = page.locator(f'#statistics-table tr[data-key="{day.place.windows[1].pk}"]')
    expect(window_two).to_be_visible()
    cells = window_two.locator("td").all_inner_texts()
    assert cells[0] == "4"  # issued
    assert cells[3] == "3"  # served
    assert cells[16] == "3"  # ratings
    expect(page.locator("#live-open-windows")).to_have_text("2")
    page.screenshot(path=str(screenshots / "hall-statistics.png"), full_page=True)

    # and the live board is fetched again without a reload
    with page.expect_response(lambda r: "/live/" in r.url, timeout=8000) as polled:
        pass
    assert polled.value.status == 200
