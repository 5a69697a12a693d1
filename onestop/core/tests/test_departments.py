from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from stdnum.cn import uscc as stdnum_uscc

from onestop.core.departments import (
    department_bureaus,
    department_get,
    departments_in,
    departments_load,
)
from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound
from onestop.core.ids import is_valid_uscc
from onestop.core.models import AuditEntry, Department
from onestop.core.models.regions import RegionLevel
from onestop.core.regions import region_get, regions_load

pytestmark = pytest.mark.django_db

CITY_DEPARTMENTS = 43
BUREAU_KINDS = 22
DISTRICTS = 11


@pytest.fixture
def regions() -> None:
    regions_load()


@pytest.fixture
def departments(regions) -> None:
    departments_load()


def test_load_creates_the_city_departments_and_a_bureau_per_district(regions):
    # when
    report = departments_load()

    # then
    assert report.created == CITY_DEPARTMENTS + BUREAU_KINDS * DISTRICTS
    city = Department.objects.filter(parent__isnull=True)
    assert city.count() == CITY_DEPARTMENTS
    assert set(city.values_list("region__code", flat=True)) == {"4401"}
    assert {
        "广州市公安局",
        "国家税务总局广州市税务局",
        "广州海关",
        "广州住房公积金管理中心",
    } <= set(city.values_list("name", flat=True))


def test_every_uscc_is_valid_and_unique_and_codes_are_unique(departments):
    # when
    rows = list(Department.objects.values_list("code", "uscc"))

    # then
    codes = [code for code, _ in rows]
    usccs = [uscc for _, uscc in rows]
    assert len(set(codes)) == len(codes)
    assert len(set(usccs)) == len(usccs)
    assert all(is_valid_uscc(uscc) for uscc in usccs)
    assert all(stdnum_uscc.is_valid(uscc) for uscc in usccs)


def test_usccs_carry_the_seat_of_the_department(departments):
    # when
    public_security = department_get("GZ-GAJ")
    tianhe_bureau = department_get("GZ-GAJ-440106")

    # then
    assert public_security.uscc[:8] == "11440100"
    assert tianhe_bureau.uscc[:8] == "11440106"


def test_bureaus_sit_in_their_district_under_their_city_department(departments):
    # given
    public_security = department_get("GZ-GAJ")

    # when
    bureaus = list(department_bureaus(public_security))

    # then
    assert len(bureaus) == DISTRICTS
    assert all(b.region.level == RegionLevel.DISTRICT for b in bureaus)
    assert all(b.parent_id == public_security.pk for b in bureaus)
    assert bureaus[3].name == "广州市公安局天河区分局"
    assert bureaus[3].region.name == "天河区"
    assert department_get("GZ-SCJGJ-440106").name == "广州市天河区市场监督管理局"
    assert department_get("GZ-SWJ-440117").name == "国家税务总局广州市从化区税务局"
    assert department_get("GZ-GHZYJ-440113").name == "广州市规划和自然资源局番禺区分局"
    assert department_get("GZ-RSJ-440106").short_name == "天河区人社局"


def test_at_least_twelve_kinds_of_department_have_a_bureau_in_every_district(departments):
    # when
    kinds = [d for d in Department.objects.filter(parent__isnull=True) if d.bureaus.exists()]

    # then
    assert len(kinds) >= 12
    for kind in kinds:
        assert set(kind.bureaus.values_list("region__code", flat=True)) == {
            "440103",
            "440104",
            "440105",
            "440106",
            "440111",
            "440112",
            "440113",
            "440114",
            "440115",
            "440117",
            "440118",
        }


def test_loading_twice_changes_nothing_and_keeps_an_administrator_s_deactivation(departments):
    # given
    Department.objects.filter(code="GZ-HG").update(is_active=False)
    before = dict(Department.objects.values_list("code", "uscc"))

    # when
    report = departments_load()

    # then
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == len(before)
    assert dict(Department.objects.values_list("code", "uscc")) == before
    assert department_get("GZ-HG").is_active is False
    assert AuditEntry.objects.filter(action="departments.load").count() == 2


def test_reloading_restores_a_name_that_drifted(departments):
    # given
    Department.objects.filter(code="GZ-JYJ").update(name="教育局（旧）")

    # when
    report = departments_load()

    # then
    assert report.updated == 1
    assert department_get("GZ-JYJ").name == "广州市教育局"


def test_load_without_regions_is_refused_and_writes_nothing():
    # when
    with pytest.raises(DomainError) as raised:
        departments_load()

    # then
    assert raised.value.code == ErrorCode.UNKNOWN_REGION
    assert "load the regions first" in raised.value.message
    assert Department.objects.count() == 0


def test_department_get_names_an_unknown_code(departments):
    # when
    with pytest.raises(NotFound) as raised:
        department_get("GZ-NOPE")

    # then
    assert raised.value.code == ErrorCode.UNKNOWN_DEPARTMENT
    assert "GZ-NOPE" in raised.value.message


def test_departments_in_a_district_are_its_bureaus(departments):
    # given
    tianhe = region_get("440106")
    city = region_get("4401")

    # when
    in_tianhe = departments_in(tianhe)
    in_city_only = departments_in(city, include_descendants=False)
    in_city_tree = departments_in(city)

    # then
    assert in_tianhe.count() == BUREAU_KINDS
    assert all(d.region_id == tianhe.pk for d in in_tianhe)
    assert in_city_only.count() == CITY_DEPARTMENTS
    assert in_city_tree.count() == CITY_DEPARTMENTS + BUREAU_KINDS * DISTRICTS
    assert departments_in(region_get("440106006")).count() == 0


def test_command_loads_and_reports(regions):
    # given
    out = StringIO()

    # when
    call_command("load_departments", stdout=out)

    # then
    assert f"{CITY_DEPARTMENTS} city departments" in out.getvalue()
    assert f"{BUREAU_KINDS * DISTRICTS} district bureaus" in out.getvalue()


def test_command_without_regions_fails_clearly():
    # when / then
    with pytest.raises(CommandError, match="load the regions first"):
        call_command("load_departments", stdout=StringIO())


def test_usccs_are_the_same_on_every_fresh_load(departments):
    # given
    first = dict(Department.objects.values_list("code", "uscc"))
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()

    # when
    departments_load()

    # then
    assert dict(Department.objects.values_list("code", "uscc")) == first
