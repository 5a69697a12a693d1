"""A citizen browses a life event, finds each service once, tells the page where they are,
and sees where they can do it, nearest first: on a phone in Chinese and on a desktop in
English."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.catalog.enums import ItemLevel
from onestop.catalog.tests.factories import local_item, published_item
from onestop.core.departments import departments_load
from onestop.core.regions import regions_load
from tests.e2e.test_accessibility import assert_page_is_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = "出生登记（新生儿入户）"
TIANHE, WUSHAN, YUANCUN, LIWAN = "440106", "440106001", "440106002", "440103"


@pytest.fixture
def catalog(db):
    """One service at the city's hall, two district halls and two streets; one other."""
    regions_load()
    departments_load()
    published_item(
        item_key="birth-city", name=BIRTH, basic_code="440106999001", theme_refs=["birth"]
    )
    for level, code in (
        (ItemLevel.DISTRICT, LIWAN),
        (ItemLevel.DISTRICT, TIANHE),
        (ItemLevel.STREET, WUSHAN),
        (ItemLevel.STREET, YUANCUN),
    ):
        local_item(BIRTH, level, code, theme_refs=["birth"])
    published_item(item_key="certificate", name="出生医学证明补发", theme_refs=["birth"])


@dataclass(frozen=True)
class Reader:
    locale: str
    language: str
    viewport: dict[str, int]
    title: str
    where: str
    street: str


READERS = [
    Reader(
        "zh-CN",
        "zh-hans",
        {"width": 390, "height": 844},
        "生育收养",
        "在哪里办？",
        "在您所在的街道（镇）",
    ),
    Reader(
        "en-GB",
        "en",
        {"width": 1280, "height": 900},
        "Having a baby and adoption",
        "Where can I do it?",
        "In your street or town",
    ),
]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.language)
def test_a_citizen_finds_a_service_once_and_the_nearest_place_to_do_it(
    browser, live_server, catalog, screenshots, reader
):
    # given: a visitor in a fresh browser, reading the page's language
    context = browser.new_context(locale=reader.locale, viewport=reader.viewport)
    context.add_cookies(
        [{"name": "django_language", "value": reader.language, "url": live_server.url}]
    )
    page = context.new_page()

    # when: they open the life event
    page.goto(f"{live_server.url}{reverse('catalog:theme_detail', args=['birth'])}")

    # then: each service once, the region picker before the results
    expect(page.locator("h1")).to_have_text(reader.title)
    services = page.locator(".services > li")
    expect(services).to_have_count(2)
    expect(page.locator(".services a", has_text=BIRTH).first).to_be_visible()
    picker = page.locator("form.near")
    assert picker.bounding_box()["y"] < page.locator("#services").bounding_box()["y"]
    assert_page_is_accessible(page)

    # when: they give their district, then their street
    page.select_option("#near-district", TIANHE)
    with page.expect_navigation():
        page.locator("form.near button[type=submit]").click()
    page.select_option("#near-street", WUSHAN)
    with page.expect_navigation():
        page.locator("form.near button[type=submit]").click()
    expect(page.locator("#near-street")).to_have_value(WUSHAN)

    # and ask where they can do it
    with page.expect_navigation():
        page.get_by_role("link", name=reader.where).first.click()

    # then: their street's centre comes first, under its heading, then their district's hall
    headings = page.locator("main h2:not(.near__heading)")
    expect(headings.first).to_have_text(reader.street)
    places = page.locator(".places .place__where")
    expect(places.first).to_contain_text("五山街道")
    expect(places.nth(1)).to_contain_text("天河区")
    expect(page.locator("#places-count")).to_contain_text("5")
    assert_page_is_accessible(page)
    page.screenshot(path=str(screenshots / f"browse-places-{reader.language}.png"), full_page=True)
    context.close()
