import csv
import re

import pytest

from onestop.catalog.enums import LimitUnit, MaterialForm, MaterialRequirement
from onestop.catalog.importing import values as v
from onestop.catalog.importing.layouts import gd_region_ref
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.catalog.values import Limit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30(工作日)", Limit(30, LimitUnit.WORKING_DAYS)),
        ("365(工作日)", Limit(365, LimitUnit.WORKING_DAYS)),
        ("5(自然日)", Limit(5, LimitUnit.NATURAL_DAYS)),
        ("30（工作日）", Limit(30, LimitUnit.WORKING_DAYS)),
        ("30个工作日", Limit(30, LimitUnit.WORKING_DAYS)),
        ("３０(工作日)", Limit(30, LimitUnit.WORKING_DAYS)),
        (" 2(小时) ", Limit(2, LimitUnit.HOURS)),
        ("0(工作日)", Limit.immediate()),
        ("即办", Limit.immediate()),
        ("当场办结", Limit.immediate()),
        ("无", Limit.none()),
        ("", Limit.none()),
    ],
)
def test_limits_in_every_written_form_are_read(text, expected):
    # when
    limit = v.parse_limit(text)

    # then
    assert limit == expected


def test_one_working_day_is_immediate_only_where_the_source_says_so():
    # when
    guangdong = v.parse_limit("1(工作日)", one_day_is_immediate=True)
    native = v.parse_limit("1(工作日)")

    # then
    assert guangdong == Limit.immediate()
    assert native == Limit(1, LimitUnit.WORKING_DAYS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc(工作日)", "'abc(工作日)' is not a time limit"),
        ("-3(工作日)", "'-3(工作日)' is not a time limit"),
        ("30(月)", "has the unit '月'"),
        ("9999(工作日)", "longer than 2500 days"),
        ("二十(工作日)", "is not a time limit"),
    ],
)
def test_a_bad_limit_is_refused_with_the_value_in_the_message(text, message):
    with pytest.raises(v.BadValue, match=re.escape(message)):
        v.parse_limit(text)


def test_every_limit_in_the_real_file_is_read_and_none_is_immediate_by_accident():
    # given
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = [
        row[column]
        for row in rows
        for column in ("statutory_limit_法定办结时限", "promised_limit_承诺办结时限")
    ]

    # when
    limits = [v.parse_limit(cell, one_day_is_immediate=True) for cell in cells]

    # then
    assert len(limits) == 2 * 2262
    shapes = {re.sub(r"\d+", "N", cell) for cell in cells}
    assert shapes == {"N(工作日)", "N(自然日)", "无"}
    immediate = sum(1 for limit in limits if limit.is_immediate)
    assert immediate == sum(1 for cell in cells if cell == "1(工作日)")
    assert Limit(365, LimitUnit.WORKING_DAYS) in limits


def test_promised_may_not_exceed_statutory_in_the_same_unit():
    with pytest.raises(v.BadValue, match="longer than the statutory limit 20"):
        v.check_limits(Limit(20, "working_days"), Limit(30, "working_days"))
    v.check_limits(Limit(20, "working_days"), Limit(30, "natural_days"))
    v.check_limits(Limit.none(), Limit(30, "working_days"))


def test_multi_values_split_on_the_full_width_bar_without_blanks_or_repeats():
    assert v.split_multi("自然人｜企业法人｜｜自然人| 其他组织 ") == [
        "自然人",
        "企业法人",
        "其他组织",
    ]
    assert v.split_multi("无") == []
    assert v.split_multi(None) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自然人", (True, False)),
        ("企业法人｜自然人｜事业法人｜社会组织法人", (True, True)),
        ("自然人｜企业法人｜事业法人｜社会组织法人｜非法人企业｜行政机关｜其他组织", (True, True)),
        ("natural｜legal", (True, True)),
        ("", (False, False)),
    ],
)
def test_service_objects(text, expected):
    assert v.parse_service_objects(text) == expected


def test_an_unknown_service_object_is_named():
    with pytest.raises(v.BadValue, match="'外星人'"):
        v.parse_service_objects("自然人｜外星人")


def test_yes_no_and_counts():
    assert v.parse_bool("是", what="online") is True
    assert v.parse_bool("否", what="online") is False
    assert v.parse_count("3", what="visit_times") == 3
    with pytest.raises(v.BadValue, match="visit_times 'x'"):
        v.parse_count("x", what="visit_times")
    with pytest.raises(v.BadValue, match="yes or no"):
        v.parse_bool("maybe", what="online")


def test_none_markers_become_empty_text():
    assert v.text_or_empty("无") == ""
    assert v.text_or_empty("无线下办理窗口") == ""
    assert v.text_or_empty(" 020-12345 ") == "020-12345"


@pytest.mark.parametrize(
    ("name", "requirement", "form", "licence"),
    [
        ("居民身份证", MaterialRequirement.REQUIRED, MaterialForm.UNSPECIFIED, "居民身份证"),
        ("授权委托书（委托办理的）", MaterialRequirement.CONDITIONAL, MaterialForm.UNSPECIFIED, ""),
        (
            "经办人、押运人身份证明原件及复印件",
            MaterialRequirement.REQUIRED,
            MaterialForm.ORIGINAL_AND_COPY,
            "",
        ),
        ("律师执业证或者律师工作证原件", MaterialRequirement.REQUIRED, MaterialForm.ORIGINAL, ""),
        ("营业执照复印件", MaterialRequirement.REQUIRED, MaterialForm.COPY, "营业执照"),
        ("《居民户口簿》", MaterialRequirement.REQUIRED, MaterialForm.UNSPECIFIED, "居民户口簿"),
    ],
)
def test_materials_of_the_guangdong_file_are_read_from_their_names(
    name, requirement, form, licence
):
    # when
    material = v.guess_material(name)

    # then
    assert (material.requirement, material.form, material.e_licence_type) == (
        requirement,
        form,
        licence,
    )
    assert material.held_by_government is False


def test_a_trailing_semicolon_is_dropped_and_none_means_no_materials():
    assert v.guess_material("退休证复印件；").name == "退休证复印件"
    assert v.parse_plain_materials("无") == []


def test_native_materials_read_back_what_they_write():
    # given
    materials = [
        v.MaterialValue(name="居民身份证", form=MaterialForm.ORIGINAL, e_licence_type="居民身份证"),
        v.MaterialValue(name="户口簿", held_by_government=True, count=2, form=MaterialForm.COPY),
        v.MaterialValue(
            name="委托书", requirement=MaterialRequirement.CONDITIONAL, note="委托他人办理时提供"
        ),
    ]

    # when
    text = v.format_native_materials(materials)

    # then
    assert v.parse_native_materials(text) == materials
    assert "居民身份证{required;original;count=1;licence=居民身份证}" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("居民身份证{required;original", "must close with"),
        ("居民身份证{sometimes}", "'sometimes' is not understood"),
        ("居民身份证{count=0}", "'count=0' is not understood"),
        ("{required}", "has no name"),
    ],
)
def test_bad_native_materials_are_named(text, message):
    with pytest.raises(v.BadValue, match=re.escape(message)):
        v.parse_native_materials(text)


@pytest.mark.parametrize(
    ("code", "ref"), [("440000", "44"), ("440100", "4401"), ("440106", "440106")]
)
def test_division_codes_become_statistics_code_prefixes(code, ref):
    assert gd_region_ref(code) == ref


def test_a_malformed_division_code_is_refused():
    with pytest.raises(v.BadValue, match="'4401' is not a 6-digit division code"):
        gd_region_ref("4401")


@pytest.mark.parametrize(
    ("text", "code"),
    [("行政许可", "licensing"), ("公共服务", "public_service"), ("licensing", "licensing")],
)
def test_item_types_in_chinese_or_as_codes(text, code):
    assert v.parse_item_type(text) == code


def test_levels_in_the_words_sources_use():
    assert [v.parse_level(t) for t in ("省级", "市级", "区级", "街道级", "村级", "community")] == [
        "province",
        "city",
        "district",
        "street",
        "community",
        "community",
    ]
    with pytest.raises(v.BadValue, match="level '国家级'"):
        v.parse_level("国家级")
