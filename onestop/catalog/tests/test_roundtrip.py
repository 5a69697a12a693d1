"""Export writes the native layout; import reads it back to the same items."""

import pytest

from onestop.catalog.enums import ItemStatus
from onestop.catalog.exporting import items_export
from onestop.catalog.importing import items_import
from onestop.catalog.models import Material, ServiceItem
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.catalog.tests.factories import published_item

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, tuple]:
    return {
        item.item_key: (item.content_hash, item.version, item.status)
        for item in ServiceItem.objects.all()
    }


def _materials() -> list[tuple]:
    return sorted(
        Material.objects.values_list(
            "item__item_key",
            "position",
            "name",
            "requirement",
            "form",
            "count",
            "e_licence_type",
            "held_by_government",
            "note",
        )
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_exporting_then_importing_into_the_same_catalog_changes_nothing(
    reference, tmp_path, suffix
):
    # given
    items_import(actor=None, path=REAL_FILE)
    published_item(item_key="manual-1", fee_fen=2000, fee_note="工本费20元", legal_basis="依据")
    before = _snapshot()

    # when
    exported = items_export(path=tmp_path / f"catalog.{suffix}")
    report = items_import(actor=None, path=exported.path)

    # then
    assert exported.items == 2236
    assert (report.layout, report.created, report.updated) == ("native", 0, 0)
    assert report.unchanged == 2236
    assert report.rejected == []
    assert _snapshot() == before


def test_an_export_rebuilds_the_same_catalog_in_an_empty_one(reference, tmp_path):
    # given
    items_import(actor=None, path=REAL_FILE)
    published_item(item_key="manual-2")
    exported = items_export(path=tmp_path / "catalog.csv")
    hashes = {k: v[0] for k, v in _snapshot().items()}
    materials = _materials()
    ServiceItem.objects.all().delete()

    # when
    report = items_import(actor=None, path=exported.path, file_format="native")

    # then
    assert report.created == 2236
    assert {k: v[0] for k, v in _snapshot().items()} == hashes
    assert _materials() == materials


def test_only_published_versions_are_exported(reference, tmp_path, platform_admin):
    # given
    from onestop.catalog.services import item_revise, item_withdraw

    kept = published_item(item_key="kept")
    item_revise(actor=platform_admin, item_key=kept.item_key)
    gone = published_item(item_key="gone")
    item_withdraw(actor=platform_admin, item_id=gone.pk, reason="abolished")

    # when
    exported = items_export(path=tmp_path / "catalog.csv")

    # then
    text = exported.path.read_text(encoding="utf-8-sig")
    assert exported.items == 1
    assert "\nkept," in text
    assert "gone," not in text
    assert ServiceItem.objects.filter(item_key="kept", status=ItemStatus.DRAFT).exists()
