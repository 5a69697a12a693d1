import csv

import pytest

from onestop.core.errors import DomainError, NotFound
from onestop.core.models import Department
from onestop.hotline import selectors, services
from onestop.hotline.models import Category, Line
from onestop.hotline.services.config import LINES_FILE
from onestop.hotline.tests.factories import TAXONOMY_ROWS, taxonomy_file

pytestmark = pytest.mark.django_db


def test_the_taxonomy_loads_in_three_nested_levels(tmp_path):
    # given / when
    counts = services.taxonomy_load(path=taxonomy_file(tmp_path))
    # then
    noise = Category.objects.get(name="噪音污染")
    assert counts.created == 3 + 3 + 6
    assert noise.level == 3
    assert noise.parent is not None and noise.parent.parent is not None
    assert noise.parent.name == "环境污染" and noise.parent.parent.name == "环境保护"
    assert noise.code.startswith(noise.parent.code) and len(noise.code) == 7
    assert [c.name for c in selectors.category_path(noise)] == ["环境保护", "环境污染", "噪音污染"]


def test_loading_the_taxonomy_again_keeps_every_code_and_adds_only_new_classes(tmp_path):
    # given
    services.taxonomy_load(path=taxonomy_file(tmp_path))
    before = dict(Category.objects.values_list("name", "code").filter(level=3))
    (tmp_path / "more").mkdir()
    extended = taxonomy_file(
        tmp_path / "more", [*TAXONOMY_ROWS, ("环境保护", "环境污染", "电磁污染")]
    )
    # when
    counts = services.taxonomy_load(path=extended)
    # then
    after = dict(Category.objects.values_list("name", "code").filter(level=3))
    assert counts.created == 1
    assert {name: after[name] for name in before} == before
    assert after["电磁污染"][:4] == after["噪音污染"][:4]


@pytest.mark.parametrize(
    "content",
    [
        "a,b,c\n环境保护,环境污染,噪音污染\n",
        "level1,level2,level3\n环境保护,,噪音污染\n",
        "level1,level2,level3\n",
    ],
)
def test_a_bad_taxonomy_file_is_refused_and_changes_nothing(tmp_path, content):
    # given
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    # when
    with pytest.raises(DomainError) as error:
        services.taxonomy_load(path=path)
    # then
    assert error.value.code == "invalid_taxonomy"
    assert not Category.objects.exists()


def test_a_missing_taxonomy_file_gets_a_clear_error(tmp_path):
    with pytest.raises(DomainError) as error:
        services.taxonomy_load(path=tmp_path / "nowhere.csv")
    assert error.value.code == "invalid_taxonomy"


def test_the_packaged_list_configures_72_lines(city):
    # given: every department the list names
    with LINES_FILE.open(encoding="utf-8") as handle:
        codes = {row["department_code"] for row in csv.DictReader(handle)}
    for code in sorted(codes):
        Department.objects.get_or_create(
            code=code,
            defaults={
                "name": code,
                "region": city.city,
                "uscc": f"91440100{len(code):02d}{code[-8:]:>8}"[:18],
            },
        )
    # when
    first = services.lines_load()
    again = services.lines_load()
    # then
    assert first.created == 72 and again.created == 0 and again.unchanged == 72
    assert Line.objects.filter(around_the_clock=True).count() >= 2
    assert Line.objects.values("department").distinct().count() == len(codes)


def test_lines_need_their_departments_loaded(db):
    with pytest.raises(DomainError) as error:
        services.lines_load()
    assert error.value.code == "unknown_department"
    assert not Line.objects.exists()


def test_a_district_matter_goes_to_the_district_bureau(city):
    # when
    department = selectors.route_department(city.noise, city.liede)
    elsewhere = selectors.route_department(city.noise, city.yuexiu)
    # then
    assert department == city.environment_tianhe
    assert elsewhere == city.environment_yuexiu


def test_a_route_for_a_region_wins_over_the_citywide_one(city):
    # given
    services.route_set(
        actor=None,
        category_code=city.noise.code,
        region_code=city.tianhe.code,
        department_code=city.city_management_tianhe.code,
        to_district_bureau=False,
    )
    # when / then
    assert selectors.route_department(city.noise, city.liede) == city.city_management_tianhe
    assert selectors.route_department(city.noise, city.yuexiu) == city.environment_yuexiu


def test_a_route_to_an_unknown_category_is_refused(city):
    with pytest.raises(NotFound) as error:
        services.route_set(actor=None, category_code="99", department_code="GZ-CGJ")
    assert error.value.code == "unknown_category"


def test_only_platform_admins_configure(city):
    with pytest.raises(DomainError) as error:
        services.route_set(
            actor=city.dispatcher, category_code=city.noise.code, department_code="GZ-CGJ"
        )
    assert error.value.code == "not_allowed"


def test_a_line_staffed_7x12_is_closed_at_night(city, settings):
    from datetime import time

    from onestop.hotline.tests.factories import local

    line = Line(code="x", name="x", department=city.environment, opens=time(8), closes=time(20))
    assert line.is_staffed(local(2026, 12, 2, 9))
    assert not line.is_staffed(local(2026, 12, 2, 22))
    line.around_the_clock = True
    assert line.is_staffed(local(2026, 12, 2, 22))
