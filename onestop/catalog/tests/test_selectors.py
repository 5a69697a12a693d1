"""Reads other apps use: index rows for search, checklists, counts, and change hooks."""

import pytest
from django.db import transaction

from onestop.catalog import hooks
from onestop.catalog.importing import items_import
from onestop.catalog.selectors import (
    item_checklist,
    item_counts_by_level,
    item_index_rows,
    item_list,
)
from onestop.catalog.services import item_withdraw
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db


def test_index_rows_carry_what_a_search_index_needs(reference, django_assert_max_num_queries):
    # given
    item = published_item(name="港澳通行证续签", theme_refs=["travel-abroad", "documents"])
    published_item()

    # when
    with django_assert_max_num_queries(4):
        rows = list(item_index_rows())

    # then
    assert len(rows) == 2
    row = next(r for r in rows if r.item_key == item.item_key)
    assert row.name == "港澳通行证续签"
    assert row.material_names == ("居民身份证", "居民户口簿", "授权委托书")
    assert row.authority == "广州市公安局"
    assert (row.level, row.region_code, row.department_code) == ("city", "4401", "GZ-GAJ")
    assert set(row.theme_codes) == {"travel-abroad", "documents"}
    assert set(row.theme_names) == {"出境入境", "证件办理"}


def test_index_rows_of_given_keys_only_and_only_published(reference, platform_admin):
    # given
    kept = published_item()
    gone = published_item()
    item_withdraw(actor=platform_admin, item_id=gone.pk, reason="x")

    # when
    rows = list(item_index_rows([kept.item_key, gone.item_key]))

    # then
    assert [r.item_key for r in rows] == [kept.item_key]


def test_the_real_catalog_indexes_in_a_few_queries(reference, django_assert_max_num_queries):
    # given
    items_import(actor=None, path=REAL_FILE)

    # when: the ids, then three queries per 2,000 items
    with django_assert_max_num_queries(7):
        rows = list(item_index_rows())

    # then
    assert len(rows) == 2235
    assert all(r.authority for r in rows)


def test_the_checklist_separates_what_the_government_holds(reference):
    # given
    item = published_item()

    # when
    checklist = item_checklist(item)

    # then
    assert [m.name for m in checklist.required] == ["居民身份证"]
    assert [m.name for m in checklist.conditional] == ["授权委托书"]
    assert [m.name for m in checklist.held] == ["居民户口簿"]


def test_counts_and_filters(reference):
    # given
    published_item()
    published_item(level="province", region_ref="", department_ref="", authority_name="广东省某厅")

    # when
    counts = item_counts_by_level()

    # then
    assert counts == {"province": 1, "city": 1, "district": 0, "street": 0, "community": 0}
    assert item_list(audience="legal").count() == 0
    assert item_list(audience="natural").count() == 2
    assert item_list(department_code="GZ-GAJ").count() == 1


@pytest.mark.django_db(transaction=True)
def test_listeners_hear_of_changes_after_commit_only(reference, platform_admin):
    # given
    heard: list[list[str]] = []
    hooks.items_changed.connect(heard.append)
    try:
        item = published_item()
        heard.clear()

        # when
        with pytest.raises(RuntimeError), transaction.atomic():
            item_withdraw(actor=platform_admin, item_id=item.pk, reason="x")
            raise RuntimeError
        rolled_back = list(heard)
        item_withdraw(actor=platform_admin, item_id=item.pk, reason="x")
    finally:
        hooks.items_changed.disconnect(heard.append)

    # then
    assert rolled_back == []
    assert heard == [[item.item_key]]
