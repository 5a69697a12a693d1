"""In a real browser: a visitor rates a finished visit on the phone page, and the hall
manager's statistics show the visit and its rating; the live board refreshes by itself. The
manager reads the headline figures and the charts on a phone and on a desktop, in Chinese
and in English, and opens the full table on demand."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from onestop.hall.tests.factories import DAY
from onestop.hall_statistics.tests.scripted import scripted_day
from onestop.ratings.models import Rating
from tests.e2e.conftest import browser, context, page, screenshots, signed_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Every element past the window's right edge, but for the table in its scroll box and the
# column heads that narrow screens hide (a table's rows read as cards there).
STICKING_OUT = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => !el.closest('.statistics-table-wrap, .stack-table thead'))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .map(el => el.tagName + '.' + el.className)"""
DRAWN = """id => {
  const box = document.getElementById(id);
  const canvas = box && box.querySelector('canvas');
  return canvas ? [canvas.width, canvas.height, box.getBoundingClientRect().width] : null;
}"""

WORDS = {
    "zh-hans": {
        "lang": "zh-Hans",
        "wait": "平均等候",
        "level": "非常满意",
        "detail": "全部数据：按日期、分类、号码类型、窗口或窗口人员",
    },
    "en": {
        "lang": "en",
        "wait": "Average wait",
        "level": "Very satisfied",
        "detail": "Every figure, by day, category, kind, window or clerk",
    },
}


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
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{url}?start={DAY}&end={DAY}&by=window")

    # then: window 2 served T4', T6 and T5, and three of its visits are now rated
    window_two = page.locator(f'#statistics-table tr[data-key="{day.place.windows[1].pk}"]')
    expect(window_two).to_be_visible()
    cells = window_two.locator("td").all_inner_texts()
    assert cells[0] == "4"  # issued
    assert cells[3] == "3"  # served
    assert cells[17] == "3"  # ratings
    expect(page.locator('[data-card="satisfaction"] .stat-card__note')).to_contain_text("5")
    expect(page.locator("#live-open-windows")).to_have_text("2")
    page.screenshot(path=str(screenshots / "hall-statistics.png"), full_page=True)

    # and the live board is fetched again without a reload
    with page.expect_response(lambda r: "/live/" in r.url, timeout=8000) as polled:
        pass
    assert polled.value.status == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_manager_reads_the_week_at_a_glance(  # noqa: PLR0917
    live_server,
    context,  # noqa: F811
    page,  # noqa: F811
    signed_in,  # noqa: F811
    screenshots,  # noqa: F811
    language,
    size,
):
    # given: the scripted morning, the last day of a week
    day = scripted_day()
    signed_in(day.place.manager)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    url = reverse("hall_statistics:centre", args=[day.place.centre.code])
    words = WORDS[language]

    # when
    page.goto(f"{live_server.url}{url}?start={DAY - timedelta(days=6)}&end={DAY}")

    # then: the headline figures, in the reader's language
    assert page.locator("html").get_attribute("lang") == words["lang"]
    expect(page.locator('[data-card="taken"] .stat-card__value')).to_have_text("7")
    expect(page.locator('[data-card="served"] .stat-card__value')).to_have_text("5")
    expect(page.locator('[data-card="wait_mean"] .stat-card__label')).to_have_text(words["wait"])
    # waits 3, 10, 11, 16, 19, 24 min: 13.8 on average, 24 for 9 in 10
    expect(page.locator('[data-card="wait_mean"] .stat-card__value')).to_contain_text("13.8")
    expect(page.locator('[data-card="wait_p90"] .stat-card__value')).to_contain_text("24")
    expect(page.locator('[data-card="satisfaction"] .stat-card__value')).to_contain_text("50")

    # and the three charts are drawn, with the data labels translated
    for chart in ("chart-days", "chart-hours", "chart-ratings"):
        page.wait_for_function(f"() => !!document.querySelector('#{chart} canvas')")
        width, height, box = page.evaluate(DRAWN, chart)
        assert width > 100 and height > 100 and box <= page.viewport_size["width"]
    drawn = json.loads(page.locator("#statistics-chart-data").text_content())
    assert drawn["levels"][0]["label"] == words["level"]

    # and the page never scrolls sideways; the table is behind a disclosure until asked for
    table = page.locator("#statistics-table")
    expect(table).to_be_hidden()
    page.get_by_text(words["detail"]).click()
    expect(table).to_be_visible()
    page.screenshot(path=str(screenshots / f"statistics-{size}-{language}.png"), full_page=True)
    assert page.evaluate(PAGE_OVERFLOW) <= 0
    assert page.evaluate(STICKING_OUT) == []
    # every column's header on one line (none a character per line)
    wrapped = page.locator("#statistics-table thead tr:last-child th").evaluate_all(
        """ths => ths.filter(th => th.getBoundingClientRect().height
                   > 3.5 * parseFloat(getComputedStyle(th).fontSize)).map(th => th.textContent)"""
    )
    assert wrapped == []

    # and the CSV of the table still downloads
    with page.expect_download() as download:
        page.locator("#csv-link").click()
    first = DAY - timedelta(days=6)
    assert download.value.suggested_filename == (
        f"hall-{day.place.centre.code}-category-{first:%Y%m%d}-{DAY:%Y%m%d}.csv"
    )
