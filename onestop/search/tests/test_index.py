"""The index: a rebuild, and the catalog's change hook keeping it current."""

import pytest

from onestop.catalog.services import (
    item_publish,
    item_revise,
    item_submit,
    item_update,
    item_withdraw,
)
from onestop.catalog.tests.factories import platform_admin
from onestop.search.models import SearchDocument, SearchIndexState, SearchInstance
from onestop.search.selectors import search_index_stats, search_items
from onestop.search.services import search_index_rebuild, search_index_update
from onestop.search.tests.factories import CUIZHOU, LIWAN, item, local, small_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return platform_admin()


@pytest.fixture
def catalog(reference):
    small_catalog()
    search_index_rebuild()


def _keys(query: str) -> list[str]:
    return [hit.item_key for hit in search_items(query).hits]


def test_a_rebuild_makes_one_document_per_name_with_every_instance(catalog):
    stats = search_index_stats()
    assert (stats.documents, stats.instances) == (6, 9)
    document = SearchDocument.objects.get(name="出生登记（新生儿入户）")
    assert document.instance_count == 4
    assert "chusheng" in document.alias_tokens.split()


def test_a_rebuild_twice_gives_the_same_index(catalog):
    before = list(SearchDocument.objects.order_by("key").values_list("key", "name_tokens"))
    search_index_rebuild()
    after = list(SearchDocument.objects.order_by("key").values_list("key", "name_tokens"))
    assert before == after


def test_an_item_published_later_is_found_once_its_change_commits(
    catalog, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        item("dog", "养犬登记证核发")

    # then
    assert _keys("养犬登记")[0] == "dog"


def test_a_new_instance_joins_the_document_of_its_name(catalog, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        local("birth", "出生登记（新生儿入户）", "street", "440103002")

    # then
    assert SearchDocument.objects.get(name="出生登记（新生儿入户）").instance_count == 5
    assert search_items("出生登记").hits[0].other_places == 4


def test_a_withdrawn_item_vanishes(catalog, admin, django_capture_on_commit_callbacks):
    # given
    published = item("dog", "养犬登记证核发")
    search_index_update(["dog"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(actor=admin, item_id=published.pk, reason="merged into another item")

    # then
    assert "dog" not in _keys("养犬登记")
    assert not SearchDocument.objects.filter(name="养犬登记证核发").exists()


def test_withdrawing_one_instance_keeps_the_others(
    catalog, admin, django_capture_on_commit_callbacks
):
    # given
    from onestop.catalog.models import ServiceItem

    village = ServiceItem.objects.get(item_key=f"birth-{CUIZHOU}", status="published")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(actor=admin, item_id=village.pk, reason="handled by the street")

    # then
    assert SearchDocument.objects.get(name="出生登记（新生儿入户）").instance_count == 3
    assert not SearchInstance.objects.filter(item_key=f"birth-{CUIZHOU}").exists()
    assert search_items("出生登记", prefer_region_code=CUIZHOU).hits[0].item_key != (
        f"birth-{CUIZHOU}"
    )


def test_a_renamed_new_version_is_found_by_its_new_name_only(
    catalog, admin, django_capture_on_commit_callbacks
):
    # given
    draft = item_revise(actor=admin, item_key="food")
    item_update(actor=admin, item_id=draft.pk, changes={"name": "食品经营许可（首次申请）"})
    item_submit(actor=admin, item_id=draft.pk)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        item_publish(actor=admin, item_id=draft.pk)

    # then
    assert search_items("食品经营许可").hits[0].name == "食品经营许可（首次申请）"
    assert not SearchDocument.objects.filter(name="食品经营许可（新办）").exists()


def test_changes_before_the_first_build_wait_for_it(reference, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        item("dog", "养犬登记证核发")

    # then
    assert not SearchIndexState.objects.exists()
    assert search_items("养犬登记").hits == []
    search_index_rebuild()
    assert _keys("养犬登记")[0] == "dog"


def test_the_index_command_rebuilds_and_reports(catalog, capsys):
    from django.core.management import call_command

    call_command("search_index", "rebuild")
    call_command("search_index", "stats")
    out = capsys.readouterr().out
    assert "6 documents" in out and "9 items" in out
    assert search_items("出生登记").hits[0].item_key == f"birth-{LIWAN}"
