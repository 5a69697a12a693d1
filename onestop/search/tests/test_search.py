"""Searching a small catalog: what is found and how it is ranked, filters, the searcher's
region, suggestions, "did you mean", the log, and input that must not break anything."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onestop.catalog.enums import ItemLevel
from onestop.search.enums import SearchChannel
from onestop.search.models import SearchLog, Synonym
from onestop.search.selectors import (
    MAX_QUERY_CHARS,
    SearchFilters,
    filters_from,
    search_items,
    search_log_failures,
    search_suggest,
)
from onestop.search.services import search_index_rebuild, search_log_record
from onestop.search.tests.factories import CUIZHOU, LIWAN, SHAMIAN, YUEXIU, small_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(reference):
    small_catalog()
    search_index_rebuild()


def _names(page) -> list[str]:
    return [hit.name for hit in page.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开饭店要什么证", "食品经营许可（新办）"),
        ("開飯店", "食品经营许可（新办）"),
        ("shebao", "城乡居民社会保险费缴纳"),
        ("sbjf", "城乡居民社会保险费缴纳"),
        ("社保缴费", "城乡居民社会保险费缴纳"),
        ("新生儿落户", "出生登记（新生儿入户）"),
        ("港澳通行证", "办理往来港澳通行证"),
        ("kaifandian", "食品经营许可（新办）"),
        ("ＳＨＥＢＡＯ", "城乡居民社会保险费缴纳"),
    ],
)
def test_people_find_items_the_way_they_ask(catalog, query, expected):
    page = search_items(query)
    assert page.error is None
    assert page.hits[0].name == expected


def test_a_hit_names_the_item_its_level_and_how_many_other_places_offer_it(catalog):
    # when
    hit = search_items("出生登记").hits[0]

    # then
    assert hit.item_key == f"birth-{LIWAN}"  # no region preferred: the highest level, by key
    assert (hit.level, hit.region_code, hit.other_places) == (ItemLevel.DISTRICT, LIWAN, 3)
    assert hit.region_name == "荔湾区"
    assert hit.matched_fields[0] == "name"


def test_the_searchers_own_region_picks_the_instance_nearest_them(catalog):
    village = search_items("出生登记", prefer_region_code=CUIZHOU).hits[0]
    street_neighbour = search_items("出生登记", prefer_region_code="440103002").hits[0]
    other_district = search_items("出生登记", prefer_region_code="440104001").hits[0]

    assert village.item_key == f"birth-{CUIZHOU}"
    assert street_neighbour.item_key == f"birth-{LIWAN}"
    assert other_district.item_key == f"birth-{YUEXIU}"


def test_items_offered_in_the_searchers_region_rank_higher(catalog):
    plain = search_items("登记")
    local = search_items("登记", prefer_region_code=SHAMIAN)
    assert local.hits[0].score > plain.hits[0].score


def test_an_unknown_region_is_no_preference(catalog):
    assert _names(search_items("出生登记", prefer_region_code="999")) == ["出生登记（新生儿入户）"]


def test_name_matches_rank_above_material_and_condition_matches(catalog):
    page = search_items("护照")
    assert page.hits[0].name == "普通护照办证进度查询"
    materials = search_items("营业执照")
    assert materials.hits[0].matched_fields == ("materials",)


def test_filters_restrict_to_matching_instances(catalog):
    def found(**filters):
        return _names(search_items("登记 通行证 许可 社会保险", filters=SearchFilters(**filters)))

    assert found(level="street") == ["出生登记（新生儿入户）"]
    assert found(region_code=YUEXIU) == ["出生登记（新生儿入户）"]
    assert found(department_code="GZ-SCJGJ") == ["食品经营许可（新办）"]
    assert found(theme_code="business-start") == ["食品经营许可（新办）"]
    assert found(audience="legal") == ["食品经营许可（新办）"]
    assert found(online_depth="full") == ["城乡居民社会保险费缴纳"]
    assert "城乡居民社会保险费缴纳" not in found(item_type="licensing")
    assert found(level="province") == []


def test_a_filtered_hit_is_an_instance_that_passes_the_filter(catalog):
    hit = search_items("出生登记", filters=SearchFilters(level="community")).hits[0]
    assert hit.item_key == f"birth-{CUIZHOU}"


def test_filters_from_a_query_string_ignore_blanks_and_unknown_keys():
    filters = filters_from({"level": "city", "region_code": " ", "q": "x", "audience": "legal"})
    assert filters == SearchFilters(level="city", audience="legal")


def test_pages(catalog):
    first = search_items("办理 登记 许可 社会保险 护照", page_size=2)
    second = search_items("办理 登记 许可 社会保险 护照", page=2, page_size=2)
    assert first.total == second.total >= 4
    assert len(first.hits) == 2
    assert not set(_names(first)) & set(_names(second))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\t\n",
        "！？。",
        '"',
        "*",
        "NEAR",
        "社保 NEAR/3 缴费",
        "a:b",
        "'",
        "(",
        "-社保",
        "^社保",
        "社保 AND 缴费 OR 护照",
        'title:"x" * (y',
        "😀🎉",
        "'; DROP TABLE search_searchdocument; --",
        "1' OR '1'='1",
        "\x00社保",
        "社" * 2000,
    ],
)
def test_bad_input_never_raises(catalog, query):
    page = search_items(query)
    assert isinstance(page.hits, list)
    assert page.total >= 0
    assert search_items("港澳通行证").hits  # the tables are still there


def test_an_empty_query_says_what_to_type(catalog):
    page = search_items("  ")
    assert page.error and "Type" in page.error
    assert (page.hits, page.total) == ([], 0)


def test_a_long_query_is_cut_with_a_message(catalog):
    page = search_items("港澳通行证" + "x" * 3000)
    assert page.error == f"The search was shortened to its first {MAX_QUERY_CHARS} characters."
    assert page.hits[0].name == "办理往来港澳通行证"


def test_did_you_mean_offers_a_homophone_that_finds_more(catalog):
    page = search_items("港奥通行政")
    assert page.did_you_mean is not None
    assert search_items(page.did_you_mean).total > page.total


def test_did_you_mean_is_quiet_when_there_are_results(catalog):
    assert search_items("港澳通行证").did_you_mean is None


def test_suggestions_for_characters_pinyin_and_initials(catalog):
    assert search_suggest("港澳")[0] == "办理往来港澳通行证" or "港澳通行证" in search_suggest(
        "港澳"
    )
    assert "出生登记（新生儿入户）" in search_suggest("出生")
    assert "出生登记（新生儿入户）" in search_suggest("chusheng")
    assert "社保" in search_suggest("sb")
    assert search_suggest("") == []
    assert search_suggest("😀") == []
    assert len(search_suggest("办", limit=2)) <= 2


def test_a_new_synonym_works_without_a_rebuild(catalog):
    # given
    assert not search_items("看望亲戚").hits

    # when
    Synonym.objects.create(term="看望亲戚", expansions="探亲签注")

    # then
    assert search_items("看望亲戚").hits[0].name == "办理往来港澳通行证探亲签注"


def test_an_inactive_synonym_is_ignored(catalog):
    Synonym.objects.filter(term="开饭店").update(is_active=False)
    assert "食品经营许可（新办）" not in _names(search_items("开饭店"))


def test_the_log_keeps_the_query_and_the_count_but_nobody(catalog):
    # given
    filters = SearchFilters(level="city")
    page = search_items("火星签证", filters=filters)

    # when
    row = search_log_record(page, filters=filters, channel=SearchChannel.WEB)

    # then
    assert row is not None
    assert (row.query, row.result_count, row.filters) == ("火星签证", 0, {"level": "city"})
    columns = {f.name for f in SearchLog._meta.get_fields()}
    assert columns == {"id", "query", "result_count", "filters", "channel", "created_at"}


def test_an_empty_query_is_not_logged(catalog):
    page = search_items("")
    assert search_log_record(page, filters=SearchFilters(), channel="web") is None


def test_failures_report_the_most_searched_misses(catalog):
    # given
    for query in ["火星签证", "火星签证", "月球驾照", "护照"]:
        search_log_record(search_items(query), filters=SearchFilters(), channel="web")

    # when
    failures = search_log_failures(timezone.now() - timedelta(hours=1), limit=10)

    # then
    assert [(f.query, f.searches) for f in failures] == [("火星签证", 2), ("月球驾照", 1)]
    assert search_log_failures(timezone.now() + timedelta(hours=1)) == []
