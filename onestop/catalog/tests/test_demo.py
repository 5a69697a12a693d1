"""The demo catalog: real items and their local versions on the real regions."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onestop.catalog.demo import catalog_build_demo
from onestop.catalog.enums import ItemLevel, ItemSource, ItemStatus
from onestop.catalog.models import ServiceItem
from onestop.core.models import Region

pytestmark = pytest.mark.django_db

NANSHA = "440115"


def test_one_district_gets_district_street_and_village_versions(db):
    # when: regions and departments are loaded by the build itself
    report = catalog_build_demo(actor=None, district_codes=[NANSHA])

    # then
    streets = Region.objects.filter(parent__code=NANSHA, is_administrative=True).count()
    villages = Region.objects.filter(level=4, code__startswith=NANSHA).count()
    local = ServiceItem.objects.filter(source=ItemSource.DEMO, status=ItemStatus.PUBLISHED)
    per_street = local.filter(level=ItemLevel.STREET).count() / streets
    per_village = local.filter(level=ItemLevel.COMMUNITY).count() / villages
    assert per_street == int(per_street)
    assert per_village == 24
    assert local.filter(level=ItemLevel.DISTRICT, region__code=NANSHA).count() > 300
    assert not local.exclude(region__code__startswith=NANSHA).exists()
    assert report.counts[ItemLevel.PROVINCE] == 2024
    assert report.counts[ItemLevel.CITY] == 213
    assert len(report.real.rejected) == 25


def test_a_local_version_is_a_complete_item_of_its_district_bureau(db):
    # when
    catalog_build_demo(actor=None, district_codes=[NANSHA])

    # then
    village = Region.objects.filter(level=4, code__startswith=NANSHA).order_by("code").first()
    assert village is not None and village.parent is not None
    street = village.parent
    item = ServiceItem.objects.get(item_key=f"gz-csdj-xsr-{street.code}")
    assert item.name == "出生登记（新生儿入户）"
    assert item.department is not None
    assert item.department.code == f"GZ-GAJ-{NANSHA}"
    assert item.level == ItemLevel.STREET
    assert item.location.startswith("广州市南沙区")
    assert item.materials.filter(held_by_government=True).exists()
    assert item.implementation_code == street.code.ljust(18, "0") + "2442190000025"
    food = ServiceItem.objects.get(item_key=f"gz-spjy-xb-{NANSHA}")
    assert food.department is not None
    assert food.implementation_code.startswith(food.department.uscc)
    assert set(food.themes.values_list("code", flat=True)) == {"business-start"}


def test_building_again_changes_nothing(db):
    # given
    catalog_build_demo(actor=None, district_codes=[NANSHA])
    rows = ServiceItem.objects.count()

    # when
    report = catalog_build_demo(actor=None, district_codes=[NANSHA])

    # then
    assert report.items_written == 0
    assert ServiceItem.objects.count() == rows
    assert not ServiceItem.objects.exclude(version=1).exists()


def test_the_command_builds_and_refuses_an_unknown_district(db):
    # given
    out = StringIO()

    # when
    call_command("catalog", "build-demo", "--district", NANSHA, stdout=out)
    with pytest.raises(CommandError, match="No district has the code"):
        call_command("catalog", "build-demo", "--district", "449999", stdout=StringIO())

    # then
    text = out.getvalue()
    assert "real items: 2262 rows, 2237 created" in text
    assert "published items: 2024 provincial, 213 city," in text
