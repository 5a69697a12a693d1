import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound
from onestop.core.models import AuditEntry, Region
from onestop.core.models.regions import RegionLevel
from onestop.core.regions import (
    DEFAULT_DIRECTORY,
    region_ancestors,
    region_children,
    region_counts,
    region_descendants,
    region_districts,
    region_find,
    region_get,
    regions_load,
)

pytestmark = pytest.mark.django_db

TOTAL = 1 + 11 + 178 + 2827


@pytest.fixture
def regions() -> None:
    regions_load()


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "regions"
    directory.mkdir()
    for name in ("districts.csv", "streets.csv", "villages.csv"):
        shutil.copyfile(DEFAULT_DIRECTORY / name, directory / name)
    return directory


def _edit_line(path: Path, line_number: int, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_load_builds_the_whole_city_tree():
    # when
    report = regions_load()

    # then
    assert report.created == TOTAL
    assert (report.updated, report.unchanged) == (0, 0)
    city = Region.objects.get(code="4401")
    assert (city.name, city.level, city.parent) == ("广州市", RegionLevel.CITY, None)
    assert Region.objects.filter(level=RegionLevel.DISTRICT, parent=city).count() == 11
    assert Region.objects.filter(level=RegionLevel.STREET).count() == 178
    assert Region.objects.filter(level=RegionLevel.COMMUNITY).count() == 2827


def test_only_the_two_statistics_units_are_not_administrative(regions):
    # when
    flagged = Region.objects.filter(is_administrative=False)

    # then
    assert {(r.code, r.name) for r in flagged} == {
        ("440117404", "黄龙带水库"),
        ("440117405", "大岭山林场"),
    }
    assert region_counts() == {
        "city": 1,
        "district": 11,
        "street": 176,
        "community": 2827,
        "non_administrative": 2,
    }


def test_every_region_hangs_from_a_parent_one_level_up_whose_code_it_extends(regions):
    # when
    regions_by_id = {r.pk: r for r in Region.objects.all()}

    # then
    for region in regions_by_id.values():
        if region.level == RegionLevel.CITY:
            continue
        parent = regions_by_id[region.parent_id or 0]
        assert parent.level == region.level - 1, region.code
        assert region.code.startswith(parent.code), region.code


def test_the_load_is_a_few_bulk_queries_not_one_per_row(django_assert_max_num_queries):
    # when
    with django_assert_max_num_queries(40):
        report = regions_load()

    # then
    assert report.created == TOTAL


def test_loading_twice_changes_nothing_and_audits_a_second_summary():
    # given
    regions_load()
    ids_before = dict(Region.objects.values_list("code", "pk"))

    # when
    report = regions_load()

    # then
    assert (report.created, report.updated, report.unchanged) == (0, 0, TOTAL)
    assert dict(Region.objects.values_list("code", "pk")) == ids_before
    summaries = list(AuditEntry.objects.filter(action="regions.load").order_by("seq"))
    assert [s.changes["after"]["created"] for s in summaries] == [TOTAL, 0]
    assert summaries[1].changes["after"]["unchanged"] == TOTAL
    assert summaries[1].actor_label == "system"


def test_reloading_updates_a_renamed_region_in_place(fixture_copy):
    # given
    regions_load(directory=fixture_copy)
    shamian = Region.objects.get(code="440103001")
    _edit_line(fixture_copy / "streets.csv", 2, "440103001,沙面街,440103")

    # when
    report = regions_load(directory=fixture_copy)

    # then
    assert (report.created, report.updated, report.unchanged) == (0, 1, TOTAL - 1)
    shamian.refresh_from_db()
    assert shamian.name == "沙面街"
    assert Region.objects.count() == TOTAL


def test_a_bad_fixture_loads_nothing_and_names_each_bad_line(fixture_copy):
    # given
    _edit_line(fixture_copy / "districts.csv", 3, "4401X4,越秀区,4401")
    _edit_line(fixture_copy / "streets.csv", 2, "440103001,,440103")
    _edit_line(fixture_copy / "villages.csv", 5, "440103002103,故衣街社区居民委员会,440199002")

    # when
    with pytest.raises(DomainError) as raised:
        regions_load(directory=fixture_copy)

    # then
    assert raised.value.code == ErrorCode.INVALID_FIXTURE
    errors = raised.value.params["errors"]
    assert errors[0] == "districts.csv:3: code '4401X4' must be 6 digits for a district"
    assert "streets.csv:2: name is empty" in errors
    assert "villages.csv:5: parent '440199002' does not exist" in errors
    # Each of 越秀区's 18 streets is an orphan now, and says so; nothing else is reported.
    yuexiu_orphans = [e for e in errors if "parent '440104' does not exist" in e]
    assert len(yuexiu_orphans) == 18
    assert len(errors) == 3 + 18
    assert "villages.csv:5" in raised.value.message
    assert Region.objects.count() == 0
    assert not AuditEntry.objects.filter(action="regions.load").exists()


def test_a_missing_file_and_a_wrong_level_are_reported(fixture_copy):
    # given
    (fixture_copy / "villages.csv").unlink()
    _edit_line(fixture_copy / "streets.csv", 2, "440103001,沙面街道,4401")

    # when
    with pytest.raises(DomainError) as raised:
        regions_load(directory=fixture_copy)

    # then
    assert raised.value.params["errors"] == [
        "streets.csv:2: parent 4401 is a city, not one level up",
        "villages.csv: file not found",
    ]
    assert Region.objects.count() == 0


def test_a_code_that_does_not_extend_its_parents_is_refused(fixture_copy):
    # given
    _edit_line(fixture_copy / "streets.csv", 2, "440104901,沙面街道,440103")

    # when
    with pytest.raises(DomainError) as raised:
        regions_load(directory=fixture_copy)

    # then
    assert raised.value.params["errors"][0] == (
        "streets.csv:2: code 440104901 does not begin with its parent's code 440103"
    )


def test_region_get_names_an_unknown_code(regions):
    # when
    with pytest.raises(NotFound) as raised:
        region_get("440199")

    # then
    assert raised.value.code == ErrorCode.UNKNOWN_REGION
    assert "440199" in raised.value.message
    assert region_get("440106").name == "天河区"


def test_ancestors_of_a_village_run_from_the_city_down(regions):
    # given
    village = region_get("440103001101")

    # when
    ancestors = region_ancestors(village)

    # then
    assert [(r.code, r.name) for r in ancestors] == [
        ("4401", "广州市"),
        ("440103", "荔湾区"),
        ("440103001", "沙面街道"),
    ]
    assert region_ancestors(region_get("4401")) == []


def test_descendants_of_a_district_exclude_itself_and_filter_by_level(regions):
    # given
    tianhe = region_get("440106")

    # when
    everything = region_descendants(tianhe)
    streets = region_descendants(tianhe, level=RegionLevel.STREET)

    # then
    assert everything.count() == 21 + 230
    assert not everything.filter(pk=tianhe.pk).exists()
    assert streets.count() == 21
    assert set(streets) == set(region_children(tianhe))


def test_find_by_name_puts_exact_matches_first(regions):
    # when
    tianhe = region_find("天河")
    exact = region_find("天河区")
    twins = region_find("幸福社区居民委员会")

    # then
    assert [r.name for r in tianhe[:2]] == ["天河区", "天河南街道"]
    assert len(tianhe) == 2 + 5
    assert [r.code for r in exact] == ["440106"]
    assert len(twins) == 2
    assert region_find("  ") == []


def test_districts_are_the_eleven_children_of_the_city(regions):
    # when
    districts = list(region_districts())

    # then
    assert len(districts) == 11
    assert {d.name for d in districts} >= {"天河区", "从化区", "增城区"}
    assert set(districts) == set(region_children(region_get("4401")))


def test_command_loads_and_prints_the_counts():
    # given
    out = StringIO()

    # when
    call_command("load_regions", stdout=out)

    # then
    assert f"{TOTAL} created" in out.getvalue()
    assert "176 streets/towns, 2827 communities/villages, 2 statistics-only" in out.getvalue()


def test_command_turns_a_bad_fixture_into_a_command_error(fixture_copy):
    # given
    _edit_line(fixture_copy / "streets.csv", 2, "440103001,,440103")

    # when
    with pytest.raises(CommandError, match=r"streets.csv:2: name is empty"):
        call_command("load_regions", directory=fixture_copy, stdout=StringIO())

    # then
    assert Region.objects.count() == 0
