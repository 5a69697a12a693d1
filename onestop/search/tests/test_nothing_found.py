"""Pages and API for English searches and for searches that find nothing: names in the
reader's language, what an English query was searched as, similar items, related life
events, "did you mean", and the way to the 12345 hotline."""

import pytest
from django.urls import reverse

from onestop.search.selectors import search_items
from onestop.search.services import search_index_rebuild
from onestop.search.tests.factories import small_catalog

pytestmark = pytest.mark.django_db

PAGE = reverse("search:results")
API = "/api/v1/catalog/search"
ASK = reverse("hotline:ask")


@pytest.fixture
def catalog(reference):
    small_catalog()
    search_index_rebuild()


def _page(client, query: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(PAGE, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _first_hit(html: str) -> str:
    return html.split('<li class="hit">')[1].split("</li>", maxsplit=1)[0]


def test_an_english_page_names_the_item_in_english_and_keeps_the_official_name(catalog, client):
    # when
    html = _page(client, "开饭店", "en")

    # then: the English name is the link, the catalog's Chinese name under it, marked
    hit = _first_hit(html)
    assert 'lang="en">Food business licence (new)</a>' in hit
    assert '<span class="hit__official muted" lang="zh-Hans">' in hit
    assert "食品经营许可（新办）" in hit


def test_an_english_query_on_a_chinese_page_gets_english_names_and_what_it_was_read_as(
    catalog, client
):
    # when
    html = _page(client, "open a restaurant", "zh-hans")

    # then
    assert "Food business licence (new)" in _first_hit(html)
    assert 'id="search-read-as"' in html
    assert '<span lang="zh-Hans">食品经营许可</span>' in html


def test_a_chinese_query_on_a_chinese_page_stays_chinese(catalog, client):
    html = _page(client, "开饭店", "zh-hans")
    hit = _first_hit(html)
    assert ">食品经营许可（新办）</a>" in hit
    assert "Food business licence" not in hit
    assert 'id="search-read-as"' not in html


def test_a_traditional_page_shows_traditional_names(catalog, client):
    hit = _first_hit(_page(client, "开饭店", "zh-hant"))
    assert 'lang="zh-Hant">食品經營許可（新辦）</a>' in hit


def test_a_search_that_finds_nothing_offers_similar_items_life_events_and_12345(catalog, client):
    # given: this catalog has no social security card items
    assert search_items("social security card replacement").total == 0

    # when
    html = _page(client, "social security card replacement", "en")

    # then
    assert 'id="nothing-found"' in html
    similar = html.split('id="similar-services"')[1].split("</ul>")[0]
    assert "Pay urban and rural residents" in similar
    themes = html.split('id="related-themes"')[1].split("</ul>")[0]
    assert reverse("catalog:theme_detail", args=["social-security"]) in themes
    assert 'href="tel:12345"' in html
    assert f'href="{ASK}?q=social%20security%20card%20replacement"' in html
    assert reverse("catalog:theme_list") in html


def test_gibberish_still_gets_the_hotline_and_the_life_events(catalog, client):
    html = _page(client, "qqqqzzzz", "zh-hans")
    assert 'id="nothing-found"' in html
    assert 'id="similar-services"' not in html
    assert 'href="tel:12345"' in html
    assert reverse("catalog:theme_list") in html


def test_a_mistyped_english_word_is_corrected_and_its_results_offered(catalog, client):
    html = _page(client, "pasport", "en")
    assert 'id="did-you-mean"' in html
    assert "?q=passport" in html
    assert "普通护照办证进度查询" in html.split('id="similar-services"')[1]


def test_results_end_with_the_way_to_12345(catalog, client):
    html = _page(client, "开饭店", "en")
    assert 'id="ask-hotline"' in html
    assert 'id="nothing-found"' not in html


def test_the_hotline_page_is_public_and_says_how_to_reach_12345(client):
    # when
    response = client.get(ASK, {"q": "宠物狗办证"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:12345"' in html
    assert 'href="tel:+862012345"' in html
    assert "宠物狗办证" in html
    assert html.count("<h1") == 1


def test_the_hotline_page_in_chinese_and_without_a_query(client):
    client.cookies["django_language"] = "zh-hans"
    html = client.get(ASK).content.decode()
    assert "咨询12345热线" in html
    assert 'id="asked"' not in html


def test_the_hotline_page_keeps_a_long_query_short(client):
    html = client.get(ASK, {"q": "社" * 500}).content.decode()
    assert "社" * 100 in html
    assert "社" * 101 not in html


def test_the_api_answers_english_names_and_what_a_query_was_read_as(catalog, client):
    # when
    body = client.get(API, {"q": "open a restaurant"}).json()

    # then
    assert (body["language"], body["read_as"]) == ("en", ["食品经营许可"])
    first = body["results"][0]
    assert first["name"] == "食品经营许可（新办）"
    assert first["name_en"] == "Food business licence (new)"
    assert body["help"] is None


def test_the_api_helps_when_nothing_is_found(catalog, client):
    # when
    body = client.get(API, {"q": "social security card replacement"}).json()

    # then
    assert body["total"] == 0
    help = body["help"]
    assert help["hotline"] == "12345"
    assert help["ask_url"].startswith(ASK + "?q=")
    assert help["similar"][0]["name"] == "城乡居民社会保险费缴纳"
    theme = next(t for t in help["themes"] if t["code"] == "social-security")
    assert (theme["name_en"], theme["url"]) == (
        "Social insurance",
        reverse("catalog:theme_detail", args=["social-security"]),
    )
