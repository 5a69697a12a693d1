"""Bad input: every rejected row with its line and reason; all-or-nothing loads none."""

import csv

import pytest
from openpyxl import Workbook

from onestop.catalog.enums import ErrorCode, ItemStatus
from onestop.catalog.importing import items_import
from onestop.catalog.models import ServiceItem
from onestop.catalog.services import item_withdraw
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.catalog.tests.factories import native_row
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _real_rows(count: int) -> tuple[list[str], list[list[str]]]:
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [next(reader) for _ in range(count)]
    return header, rows


def _write_csv(path, header, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_each_bad_row_is_reported_by_line_and_the_good_rows_load(reference, write_native):
    # given
    path = write_native(
        [
            native_row(item_key="good-1"),
            native_row(item_key="bad-dept", department_code="GZ-NOPE"),
            native_row(item_key="bad-region", region_code="4403"),
            native_row(item_key="bad-limit", promised_limit="abc(工作日)"),
            native_row(item_key="wrong-level", region_code="440106"),
            native_row(item_key="good-2"),
        ]
    )

    # when
    report = items_import(actor=None, path=path)

    # then
    reasons = {p.line: "; ".join(p.reasons) for p in report.rejected}
    assert reasons == {
        3: "unknown department code 'GZ-NOPE'",
        4: "unknown region '4403': it is not a division of this city",
        5: "promised_limit: 'abc(工作日)' is not a time limit; write a whole number and a unit "
        "such as 20(工作日), 5(自然日) or 2(小时), or 即办 or 无",
        6: "region 440106 is not a city",
    }
    assert report.created == 2
    assert set(ServiceItem.objects.values_list("item_key", flat=True)) == {"good-1", "good-2"}


def test_all_or_nothing_loads_none_when_one_row_is_bad(reference, write_native):
    # given
    path = write_native([native_row(), native_row(statutory_limit="abc(工作日)"), native_row()])
    audit_entries = AuditEntry.objects.count()

    # when
    report = items_import(actor=None, path=path, all_or_nothing=True)

    # then
    assert report.loaded is False
    assert [p.line for p in report.rejected] == [3]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert ServiceItem.objects.count() == 0
    assert AuditEntry.objects.count() == audit_entries


def test_all_or_nothing_loads_everything_when_every_row_is_good(reference, write_native):
    # given
    path = write_native([native_row(), native_row()])

    # when
    report = items_import(actor=None, path=path, all_or_nothing=True)

    # then
    assert report.loaded is True
    assert report.created == 2


def test_a_row_with_an_unquoted_comma_is_malformed(reference, tmp_path):
    # given
    header, rows = _real_rows(3)
    rows[1] = [*rows[1], "stray"]
    path = _write_csv(tmp_path / "gd.csv", header, rows)

    # when
    report = items_import(actor=None, path=path)

    # then
    assert [(p.line, p.reasons[0]) for p in report.rejected] == [
        (3, "the row has 1 more cell(s) than the header; is a comma unquoted?")
    ]
    assert report.created == 2


def test_lines_count_physical_lines_when_a_cell_spans_several(reference, write_native):
    # given: the first row's conditions run over three lines
    path = write_native(
        [native_row(conditions="第一行\n第二行\n第三行"), native_row(department_code="GZ-NOPE")]
    )

    # when
    report = items_import(actor=None, path=path)

    # then
    assert [p.line for p in report.rejected] == [5]


def test_a_repeated_key_is_rejected_on_its_second_line(reference, write_native):
    # given
    path = write_native([native_row(item_key="twice"), native_row(item_key="twice")])

    # when
    report = items_import(actor=None, path=path)

    # then
    assert [(p.line, p.reasons) for p in report.rejected] == [
        (3, ("the item key twice is already on line 2",))
    ]


def test_a_guangdong_row_with_a_bad_limit_and_unknown_object(reference, tmp_path):
    # given
    header, rows = _real_rows(3)
    rows[2][header.index("statutory_limit_法定办结时限")] = "abc(工作日)"
    rows[2][header.index("service_objects")] = "自然人｜外星人"
    path = _write_csv(tmp_path / "gd.csv", header, rows)

    # when
    report = items_import(actor=None, path=path)

    # then
    assert len(report.rejected) == 1
    problem = report.rejected[0]
    assert problem.line == 4
    assert problem.reasons[0].startswith("statutory_limit: 'abc(工作日)' is not a time limit")
    assert problem.reasons[1].startswith("service_objects: service object '外星人' is not known")


def test_a_header_in_no_known_layout_is_refused_whole(reference, tmp_path):
    # given
    path = _write_csv(tmp_path / "odd.csv", ["name", "dept"], [["a", "b"]])

    # when
    with pytest.raises(DomainError) as raised:
        items_import(actor=None, path=path)

    # then
    assert raised.value.code == ErrorCode.IMPORT_LAYOUT_UNKNOWN
    assert "native layout: missing column(s) item_key, item_type" in raised.value.message
    assert "guangdong layout: missing column(s) task_code" in raised.value.message


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00\x00garbage\x81"])
def test_an_empty_or_undecodable_file_is_refused(reference, tmp_path, content):
    # given
    path = tmp_path / "broken.csv"
    path.write_bytes(content)

    # when
    with pytest.raises(DomainError) as raised:
        items_import(actor=None, path=path)

    # then
    assert raised.value.code in (ErrorCode.IMPORT_FILE_UNREADABLE, ErrorCode.IMPORT_LAYOUT_UNKNOWN)
    assert ServiceItem.objects.count() == 0


def test_a_database_without_regions_or_departments_is_told_to_load_them(tmp_path):
    # given: a migrated database, nothing loaded
    header, rows = _real_rows(3)
    path = _write_csv(tmp_path / "gd.csv", header, rows)

    # when
    with pytest.raises(DomainError) as raised:
        items_import(actor=None, path=path)

    # then: one clear message instead of a rejected row per line
    assert raised.value.code == ErrorCode.IMPORT_NO_REFERENCE_DATA
    assert "onestop load-regions" in raised.value.message
    assert ServiceItem.objects.count() == 0


def test_native_format_insists_on_the_native_layout(reference, tmp_path):
    # given
    header, rows = _real_rows(1)
    path = _write_csv(tmp_path / "gd.csv", header, rows)

    # when
    with pytest.raises(DomainError) as raised:
        items_import(actor=None, path=path, file_format="native")

    # then
    assert "native layout: missing column(s)" in raised.value.message


def test_a_gb18030_csv_from_a_spreadsheet_program_is_read(reference, tmp_path):
    # given
    header, rows = _real_rows(3)
    path = _write_csv(tmp_path / "gbk.csv", header, rows, encoding="gb18030")

    # when
    report = items_import(actor=None, path=path)

    # then
    assert report.created == 3
    assert ServiceItem.objects.filter(authority_name="广东省发展和改革委员会").exists()


def test_the_guangdong_layout_as_xlsx_with_row_numbers_as_lines(reference, tmp_path):
    # given
    header, rows = _real_rows(4)
    rows[3][header.index("promised_limit_承诺办结时限")] = "30(月)"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "items.xlsx"
    workbook.save(path)

    # when
    report = items_import(actor=None, path=path)

    # then
    assert report.created == 3
    assert [p.line for p in report.rejected] == [5]
    assert "has the unit '月'" in report.rejected[0].reasons[0]


def test_a_changed_row_publishes_a_new_version_under_the_same_key(reference, write_native):
    # given
    row = native_row(item_key="changing", promised_limit="5(工作日)")
    items_import(actor=None, path=write_native([row], "v1.csv"))

    # when
    report = items_import(
        actor=None, path=write_native([{**row, "promised_limit": "3(工作日)"}], "v2.csv")
    )

    # then
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    versions = list(ServiceItem.objects.filter(item_key="changing").order_by("version"))
    assert [(v.version, v.status) for v in versions] == [
        (1, ItemStatus.SUPERSEDED),
        (2, ItemStatus.PUBLISHED),
    ]
    assert versions[0].promised_limit_value == 5
    assert versions[1].promised_limit_value == 3
    assert versions[1].materials.count() == 2


def test_an_import_does_not_bring_back_a_withdrawn_item(reference, write_native, platform_admin):
    # given
    path = write_native([native_row(item_key="gone")])
    items_import(actor=None, path=path)
    item = ServiceItem.objects.get(item_key="gone")
    item_withdraw(actor=platform_admin, item_id=item.pk, reason="abolished")

    # when
    report = items_import(actor=None, path=path)

    # then
    assert report.rejected[0].reasons == (
        "item gone was withdrawn; an import does not publish it again",
    )
    assert not ServiceItem.objects.filter(item_key="gone", status=ItemStatus.PUBLISHED).exists()


def test_a_provincial_row_needs_no_department_but_its_body(reference, write_native):
    # given
    path = write_native(
        [
            native_row(
                item_key="prov-1",
                level="province",
                region_code="",
                department_code="",
                department_name="广东省公安厅",
            ),
            native_row(
                item_key="prov-2",
                level="province",
                region_code="",
                department_code="",
                department_name="",
            ),
            native_row(item_key="prov-3", level="province", region_code="45"),
        ]
    )

    # when
    report = items_import(actor=None, path=path)

    # then
    assert ServiceItem.objects.get(item_key="prov-1").authority_label == "广东省公安厅"
    reasons = {p.line: p.reasons for p in report.rejected}
    assert reasons == {
        3: ("the department is empty",),
        4: ("region 45 is not this city's province 44",),
    }


def test_all_or_nothing_undoes_chunks_written_before_a_late_bad_row(
    reference, write_native, monkeypatch
):
    # given: a load taken two rows at a time, with the bad row in its third chunk
    from onestop.catalog.importing import loader

    monkeypatch.setattr(loader, "LOAD_CHUNK", 2)
    rows = [native_row() for _ in range(4)] + [native_row(level="nowhere")]
    path = write_native(rows)

    # when
    report = items_import(actor=None, path=path, all_or_nothing=True)

    # then
    assert report.loaded is False
    assert report.rows == 5
    assert [p.line for p in report.rejected] == [6]
    assert ServiceItem.objects.count() == 0


def test_a_long_file_is_loaded_in_chunks_with_repeats_found_across_them(
    reference, write_native, monkeypatch
):
    # given
    from onestop.catalog.importing import loader

    monkeypatch.setattr(loader, "LOAD_CHUNK", 2)
    rows = [native_row(item_key=f"k{n}") for n in range(5)] + [native_row(item_key="k0")]

    # when
    report = items_import(actor=None, path=write_native(rows))

    # then
    assert report.created == 5
    assert [(p.line, p.reasons) for p in report.rejected] == [
        (7, ("the item key k0 is already on line 2",))
    ]
