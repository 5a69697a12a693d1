"""The issue's own examples on the demo catalog (real items plus the local items of one
district), where the items they ask for exist, and the searcher's region at work."""

import pytest

from onestop.catalog.demo import catalog_build_demo
from onestop.search.selectors import SearchFilters, search_items
from onestop.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db

LIWAN = "440103"
SHAMIAN_CUIZHOU = "440103001101"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            catalog_build_demo(actor=None, district_codes=[LIWAN])
            search_index_rebuild()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开饭店", "食品经营许可（新办）"),
        ("開飯店", "食品经营许可（新办）"),
        ("sbjf", "城乡居民社会保险费缴纳"),
        ("新生儿落户", "出生登记（新生儿入户）"),
        ("车船税", "车船税缴纳"),
        ("查房产证", "不动产登记资料查询（查房产证）"),
        ("结婚登记", "结婚登记"),
        ("身份证丢了", "居民身份证换领、补领"),
    ],
)
def test_the_issues_examples_find_their_item(demo, query, expected):
    assert expected in [hit.name for hit in search_items(query).hits[:3]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("business licence", "个体工商户设立登记"),
        ("open a restaurant", "食品经营许可（新办）"),
        ("passport renewal", "办理及加注普通护照"),
        ("marriage registration", "结婚登记"),
        ("social insurance", "城乡居民社会保险费缴纳"),
        ("birth registration", "出生登记（新生儿入户）"),
        ("driving licence", "机动车驾驶证增加准驾车型"),
        ("residence permit", "广东省居住证申领"),
        ("lost ID card", "居民身份证换领、补领"),
        ("I lost my identity card", "居民身份证换领、补领"),
        ("registering a marriage", "结婚登记"),
    ],
)
def test_english_speakers_find_the_services_they_name(demo, query, expected):
    page = search_items(query)
    assert page.language == "en"
    assert expected in [hit.name for hit in page.hits[:3]]
    assert page.hits[0].name_en


def test_a_need_the_catalog_cannot_meet_still_gets_help(demo):
    # when: the demo catalog has no housing provident fund items
    page = search_items("housing provident fund withdrawal")

    # then: no result, the life event it belongs to, and nothing raised
    assert (page.total, page.error) == (0, None)
    assert page.help is not None
    assert "housing" in [theme.code for theme in page.help.themes]


def test_a_villager_gets_the_instance_of_their_own_street_or_village(demo):
    hit = search_items("新生儿落户", prefer_region_code=SHAMIAN_CUIZHOU).hits[0]
    assert hit.region_code is not None
    assert SHAMIAN_CUIZHOU.startswith(hit.region_code)
    assert hit.level in ("street", "community")
    assert hit.other_places > 0


def test_my_district_filter_keeps_only_its_items(demo):
    page = search_items("登记", filters=SearchFilters(region_code=LIWAN), page_size=50)
    assert page.hits
    assert all(hit.region_code and hit.region_code.startswith(LIWAN) for hit in page.hits)
