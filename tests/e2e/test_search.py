"""A new visitor to the online hall asks, in their own words, what they need to do something,
and finds the right service and its checklist: the journey issue 3 is done by."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from onestop.catalog.demo import catalog_build_demo
from onestop.identity import middleware
from onestop.search.services import search_index_rebuild
from onestop.search.urls import PUBLIC_URL_NAMES
from tests.e2e.test_accessibility import assert_page_is_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NANSHA = "440115"

# What a citizen types, and the service they mean: the names are those of the demo catalog
# (onestop/catalog/fixtures/demo_local_items.csv).
JOURNEYS = [
    ("开饭店", "食品经营许可（新办）", "食品经营许可申请书"),
    ("開飯店", "食品经营许可（新办）", "食品经营许可申请书"),
    ("sbjf", "城乡居民社会保险费缴纳", "居民身份证"),
    ("新生儿落户", "出生登记（新生儿入户）", "父母双方居民身份证"),
]
TOP = 5


@pytest.fixture(autouse=True)
def public_search(monkeypatch):
    """The search pages on the public list, as onestop.identity.public will have them."""
    monkeypatch.setattr(
        middleware, "PUBLIC_URL_NAMES", middleware.PUBLIC_URL_NAMES | PUBLIC_URL_NAMES
    )


@pytest.fixture
def demo_catalog(db):
    """The real Guangdong items and one district's local versions, indexed."""
    catalog_build_demo(actor=None, district_codes=[NANSHA])
    search_index_rebuild()


def test_a_new_visitor_finds_each_service_and_its_checklist(
    live_server, page, demo_catalog, screenshots
):
    # given: the online hall's home, with the four levels counted
    page.goto(f"{live_server.url}{reverse('catalog:index')}")
    counts = page.locator(".level-counts li strong")
    expect(counts).to_have_count(4)
    assert all(int(text) > 0 for text in counts.all_inner_texts())

    for n, (query, name, material) in enumerate(JOURNEYS, start=1):
        # when: they type what they want and search
        page.goto(f"{live_server.url}{reverse('catalog:index')}")
        box = page.locator("#service-q")
        box.fill(query)
        with page.expect_navigation():
            box.press("Enter")

        # then: the service is among the first results, and its page has the checklist
        hits = page.locator(".hits .hit > a")
        expect(hits.first).to_be_visible()
        page.screenshot(path=screenshots / f"search-{n}-results.png", full_page=True)
        names = hits.all_inner_texts()[:TOP]
        assert name in names, f"{query!r}: {name!r} not in the first {TOP}: {names}"
        hits.filter(has_text=re.compile(f"^{re.escape(name)}$")).first.click()
        expect(page.locator("h1")).to_have_text(name)
        expect(page.locator("#bring")).to_be_visible()
        expect(page.locator("main")).to_contain_text(material)


def test_suggestions_appear_as_they_type_and_the_keyboard_picks_one(
    live_server, page, demo_catalog
):
    # given
    page.goto(f"{live_server.url}{reverse('catalog:index')}")
    box = page.locator("#service-q")

    # when: they type the start of a service's name
    box.press_sequentially("食品经营", delay=50)

    # then: a list of suggestions opens; arrow down and Enter searches for the first
    options = page.locator("#service-q-suggestions [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = options.first.inner_text()
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        box.press("Enter")
    expect(page.locator("#service-q")).to_have_value(first)
    expect(page.locator(".hits .hit").first).to_be_visible()


def test_the_results_page_meets_the_basics_with_filters_open(live_server, page, demo_catalog):
    # given
    page.goto(f"{live_server.url}{reverse('search:results')}?q=开饭店&district={NANSHA}&level=x")

    # then: the bad filter opened the filters, and the page still reflows and is labelled
    expect(page.locator(".search-filters")).to_have_attribute("open", "")
    assert_page_is_accessible(page)
