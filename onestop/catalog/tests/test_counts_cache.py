"""The public counts are cached between changes, and a committed change to published items
makes every cached count stale (decision 0013)."""

import pytest

from onestop.catalog.selectors import (
    department_counts,
    item_counts_by_level,
    region_children_with_counts,
    theme_counts,
)
from onestop.catalog.services import item_withdraw
from onestop.catalog.tests.factories import local_item, published_item

pytestmark = pytest.mark.django_db

API = "/api/v1/catalog"


def _all_counts() -> tuple:
    return (
        item_counts_by_level(),
        [(c.row.code, c.item_count) for c in theme_counts()],
        [(c.row.code, c.item_count) for c in department_counts()],
        [(c.row.code, c.item_count) for c in region_children_with_counts(None)],
    )


def test_counts_are_read_from_the_cache_between_changes(reference, django_assert_num_queries):
    # given
    published_item(theme_refs=["documents"])
    first = _all_counts()

    # when
    with django_assert_num_queries(0):
        again = _all_counts()

    # then
    assert again == first
    assert first[0]["city"] == 1


def test_a_withdrawal_counts_once_it_commits(
    reference, platform_admin, django_capture_on_commit_callbacks
):
    # given
    item = published_item(theme_refs=["documents"])
    published_item(theme_refs=["documents"])
    before = _all_counts()

    # when: withdrawn, and not yet committed
    with django_capture_on_commit_callbacks(execute=False) as pending:
        item_withdraw(actor=platform_admin, item_id=item.pk, reason="replaced")
    uncommitted = _all_counts()
    # and then committed
    for callback in pending:
        callback()
    after = _all_counts()

    # then the cache answers until the change commits, and counts afresh from then on
    assert uncommitted == before
    assert before[0]["city"] == 2 and after[0]["city"] == 1
    assert dict(before[1])["documents"] == 2 and dict(after[1])["documents"] == 1
    assert dict(before[2])["GZ-GAJ"] == 2 and dict(after[2])["GZ-GAJ"] == 1


def test_an_import_refreshes_the_counts_of_the_api(
    reference, client, django_capture_on_commit_callbacks
):
    # given
    published_item()
    before = client.get(f"{API}/counts").json()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        local_item("居住证签注", "district", "440106")
    after = client.get(f"{API}/counts").json()

    # then
    assert (before["city"], before["district"]) == (1, 0)
    assert (after["city"], after["district"]) == (1, 1)
    assert after["city_levels_total"] == before["city_levels_total"] + 1


def test_counts_read_fresh_say_what_the_database_holds_now(reference):
    # given: counts cached, then an item loaded whose change has not been heard of
    published_item()
    item_counts_by_level()
    published_item(level="province", region_ref="", department_ref="", authority_name="某厅")

    # when
    fresh = item_counts_by_level(fresh=True)

    # then
    assert (fresh["city"], fresh["province"]) == (1, 1)
