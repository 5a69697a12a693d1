"""An English speaker finds a service in their own words; anyone whose search finds nothing
is still helped on: related life events, the 12345 hotline and the page that says how to
reach it. At phone and desktop width, in Simplified Chinese and in English."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.catalog.demo import catalog_build_demo
from onestop.identity import middleware
from onestop.search.hotline_urls import PUBLIC_URL_NAMES as HOTLINE_URL_NAMES
from onestop.search.services import search_index_rebuild
from onestop.search.urls import PUBLIC_URL_NAMES
from tests.e2e.test_accessibility import assert_page_is_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NANSHA = "440115"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# (browser locale, the page's language, a need the demo catalog has no item for, the
# hotline page's heading in that language)
LANGUAGES = [
    ("zh-CN", "zh-Hans", "公积金提取", "咨询12345热线"),
    ("en-GB", "en", "housing provident fund withdrawal", "Ask the 12345 hotline"),
]


@pytest.fixture(autouse=True)
def public_search(monkeypatch):
    monkeypatch.setattr(
        middleware,
        "PUBLIC_URL_NAMES",
        middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES | HOTLINE_URL_NAMES,
    )


@pytest.fixture
def demo_catalog(db):
    """The real Guangdong items and one district's local versions, indexed."""
    catalog_build_demo(actor=None, district_codes=[NANSHA])
    search_index_rebuild()


def _search(page, base: str, query: str) -> None:
    page.goto(f"{base}{reverse('catalog:index')}")
    box = page.locator("#service-q")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")


def test_a_search_that_finds_nothing_helps_on_at_every_width_in_both_languages(
    live_server, browser, demo_catalog, screenshots
):
    for locale, lang, query, hotline_heading in LANGUAGES:
        for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            context = browser.new_context(locale=locale, viewport=viewport)
            context.set_default_timeout(10_000)
            page = context.new_page()
            try:
                # when: they search for something the catalog has no item for
                _search(page, live_server.url, query)

                # then: the page says so and offers life events and the hotline
                assert page.locator("html").get_attribute("lang") == lang
                expect(page.locator("#search-status")).to_contain_text("0")
                help_box = page.locator("#nothing-found")
                expect(help_box).to_be_visible()
                housing = reverse("catalog:theme_detail", args=["housing"])
                expect(page.locator(f"#related-themes a[href='{housing}']")).to_be_visible()
                expect(help_box.locator("a[href='tel:12345']")).to_be_visible()
                assert_page_is_accessible(page)
                page.screenshot(path=screenshots / f"search-nothing-{lang}-{width}.png")

                # when: they follow the way to ask 12345
                with page.expect_navigation():
                    page.locator("#hotline-ask").click()

                # then: the hotline page, with what they searched for
                expect(page.locator("h1")).to_have_text(hotline_heading)
                expect(page.locator("#asked")).to_contain_text(query)
                expect(page.locator("main a[href='tel:12345']")).to_be_visible()
                assert_page_is_accessible(page)
                page.screenshot(path=screenshots / f"hotline-ask-{lang}-{width}.png")
            finally:
                context.close()


def test_an_english_speaker_finds_a_service_by_its_everyday_name(
    live_server, browser, demo_catalog, screenshots
):
    for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="en-GB", viewport=viewport)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            # when
            _search(page, live_server.url, "open a restaurant")

            # then: the English name leads, the official Chinese name under it
            first = page.locator(".hits .hit").first
            expect(first.locator("a")).to_have_text("Food business licence (new)")
            expect(first.locator(".hit__official")).to_contain_text("食品经营许可（新办）")
            expect(page.locator("#search-read-as")).to_contain_text("食品经营许可")
            assert_page_is_accessible(page)
            page.screenshot(path=screenshots / f"search-english-{width}.png", full_page=True)

            # when: they open it, the item's page (in Chinese, as the catalog writes it)
            with page.expect_navigation():
                first.locator("a").click()
            expect(page.locator("h1")).to_have_text("食品经营许可（新办）")
        finally:
            context.close()
