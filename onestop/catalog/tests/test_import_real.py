"""Importing the real Guangdong file, as it is."""

import csv

import pytest

from onestop.catalog.enums import ItemLevel, ItemStatus, LimitUnit, OnlineDepth
from onestop.catalog.importing import items_import
from onestop.catalog.models import Material, ServiceItem, Theme
from onestop.catalog.services import department_aliases_load
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db

AIRPORT_ZONE_LINES = [
    2213, 2214, 2217, 2218, 2219, 2220, *range(2241, 2257), 2260, 2263,
]  # fmt: skip
STATE_SECURITY_LINE = 2161
ETHNIC_AFFAIRS_LINES = [2053, 2054]


def _reasons(report) -> dict[int, str]:
    return {problem.line: "; ".join(problem.reasons) for problem in report.rejected}


def test_the_real_file_loads_except_the_rows_whose_department_the_city_lacks(reference):
    # when
    report = items_import(actor=None, path=REAL_FILE)

    # then
    rejected = _reasons(report)
    assert sorted(rejected) == sorted(
        [*AIRPORT_ZONE_LINES, STATE_SECURITY_LINE, *ETHNIC_AFFAIRS_LINES]
    )
    for line in AIRPORT_ZONE_LINES:
        assert rejected[line].startswith("unknown department '广州空港经济区管理委员会'")
    assert rejected[STATE_SECURITY_LINE].startswith("unknown department '广州市国家安全局'")
    assert rejected[2053].startswith("unknown department '广州市民族宗教事务局'")
    assert (report.rows, report.created, report.updated, report.unchanged) == (2262, 2235, 0, 0)
    assert report.loaded is True


def test_a_department_alias_lets_the_renamed_department_in(reference):
    # given
    department_aliases_load(actor=None)

    # when
    report = items_import(actor=None, path=REAL_FILE)

    # then
    assert sorted(_reasons(report)) == sorted([*AIRPORT_ZONE_LINES, STATE_SECURITY_LINE])
    item = ServiceItem.objects.get(item_key="11440100007482671T3440105008001")
    assert item.department is not None
    assert item.department.code == "GZ-MZW"
    assert item.authority_name == "广州市民族宗教事务局"


def test_importing_twice_changes_nothing(reference):
    # given
    items_import(actor=None, path=REAL_FILE)
    counts = (ServiceItem.objects.count(), Material.objects.count(), Theme.objects.count())
    audit_entries = AuditEntry.objects.count()

    # when
    report = items_import(actor=None, path=REAL_FILE)

    # then
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2235)
    assert len(report.rejected) == 27
    assert (ServiceItem.objects.count(), Material.objects.count(), Theme.objects.count()) == counts
    assert not ServiceItem.objects.exclude(version=1).exists()
    assert AuditEntry.objects.count() == audit_entries


def test_levels_regions_and_departments_of_the_real_items(reference):
    # when
    items_import(actor=None, path=REAL_FILE)

    # then
    published = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED)
    province = published.filter(level=ItemLevel.PROVINCE)
    city = published.filter(level=ItemLevel.CITY)
    assert province.count() == 2024
    assert not province.filter(region__isnull=False).exists()
    assert not province.filter(department__isnull=False).exists()
    assert city.count() == 211
    assert not city.exclude(region__code="4401").exists()
    assert not city.filter(department__isnull=True).exists()


def test_a_real_row_is_read_field_by_field(reference):
    # given: line 2, 临时价格干预范围事项提价申报 of the provincial development commission
    key = "11440000006939756B2440101007000"

    # when
    items_import(actor=None, path=REAL_FILE)

    # then
    item = ServiceItem.objects.get(item_key=key)
    assert item.implementation_code == key
    assert item.basic_code == "440101007000"
    assert item.handling_code == ""
    assert item.authority_name == "广东省发展和改革委员会"
    assert (item.statutory_limit_value, item.statutory_limit_unit) == (30, LimitUnit.WORKING_DAYS)
    assert (item.promised_limit_value, item.promised_limit_unit) == (7, LimitUnit.WORKING_DAYS)
    assert item.online_depth == OnlineDepth.FULL
    assert item.for_natural_person and item.for_legal_person
    assert item.location == "广州市越秀区东风中路305号5号楼808房"
    assert [m.name for m in item.materials.all()] == ["提价申报申请报告"]
    assert item.themes.count() == 0  # 其他 files an item under no theme


def test_handling_items_and_immediate_items_of_the_real_file(reference):
    # when
    items_import(actor=None, path=REAL_FILE)

    # then
    handling = ServiceItem.objects.get(item_key="11440000006940116U244010200300103")
    assert handling.implementation_code == "11440000006940116U2440102003001"
    assert handling.handling_code == "11440000006940116U244010200300103"
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as handle:
        one_day = {
            row["task_code"]
            for row in csv.DictReader(handle)
            if row["promised_limit_承诺办结时限"] == "1(工作日)"
        }
    immediate = ServiceItem.objects.filter(promised_limit_unit=LimitUnit.IMMEDIATE)
    assert set(immediate.values_list("item_key", flat=True)) == one_day & set(
        ServiceItem.objects.values_list("item_key", flat=True)
    )
    assert immediate.count() > 1000
    assert not ServiceItem.objects.filter(promised_limit_value=1).exists()
    themed = ServiceItem.objects.get(name="居住证办理进度查询", level=ItemLevel.PROVINCE)
    assert themed.implementation_code.startswith("11440000")


def test_an_import_writes_one_audit_entry_with_its_counts(reference):
    # when
    items_import(actor=None, path=REAL_FILE)

    # then
    entry = AuditEntry.objects.get(action="catalog.items.import")
    assert entry.changes["after"]["created"] == 2235
    assert entry.changes["after"]["rejected"] == 27
