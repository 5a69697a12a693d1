"""Back-issue of paper licences in bulk: the good rows issued and verifiable, each bad row
reported with its line, or nothing issued when asked so."""

import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from onestop.core.ids import resident_id_generate
from onestop.core.models import AuditEntry
from onestop.licences import selectors, services
from onestop.licences.models import Licence, LicenceEvent
from onestop.licences.tests import factories

pytestmark = pytest.mark.django_db


def _rows(count: int, start_line: int = 2) -> list[services.BulkRow]:
    rng = random.Random(count)
    return [
        services.BulkRow(
            line=start_line + n,
            holder_code=resident_id_generate(
                rng, region_code="440106", birth_date=date(1985, 1, 1 + n % 28), sex="F"
            ),
            holder_name="周晓雯",
            face=factories.residence_face("周晓雯"),
        )
        for n in range(count)
    ]


def test_a_bulk_issue_signs_every_licence_and_records_each_batch(catalog, monkeypatch):
    # given
    officer = factories.approver("GZ-GAJ")
    rows = _rows(7)
    monkeypatch.setattr(services, "BULK_BATCH", 5)

    # when
    report = services.licence_issue_bulk(
        actor=officer, type_code=factories.code_of(factories.RESIDENCE), rows=rows
    )

    # then
    assert (report.issued, report.errors) == (7, [])
    licences = list(Licence.objects.order_by("serial"))
    assert [int(lic.serial) for lic in licences] == list(range(1, 8))
    assert len({lic.status_index for lic in licences}) == 7
    assert {
        selectors.licence_verify_credential(selectors.licence_credential(lic)).result
        for lic in licences
    } == {"valid"}
    assert LicenceEvent.objects.filter(action="issue").count() == 7
    assert AuditEntry.objects.filter(action="licences.licence.issue_bulk").count() == 2


def test_bad_rows_are_reported_by_line_and_the_good_ones_issued(catalog):
    # given
    rows = _rows(3)
    rows[1] = services.BulkRow(
        line=3, holder_code="440106198501011235", holder_name="周晓雯", face={}
    )

    # when
    report = services.licence_issue_bulk(
        actor=None, type_code=factories.code_of(factories.RESIDENCE), rows=rows
    )

    # then
    assert report.issued == 2
    assert [(line, code) for line, code, _ in report.errors] == [(3, "invalid_resident_id")]


def test_all_or_nothing_issues_nothing_when_a_row_is_bad(catalog):
    # given
    rows = [*_rows(2), services.BulkRow(line=9, holder_code="x", holder_name="周晓雯", face={})]

    # when
    report = services.licence_issue_bulk(
        actor=None,
        type_code=factories.code_of(factories.RESIDENCE),
        rows=rows,
        all_or_nothing=True,
    )

    # then
    assert (report.issued, [line for line, _, _ in report.errors]) == (0, [9])
    assert not Licence.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="licences.licence.").exists()


def test_the_import_command_reads_a_csv_and_names_the_bad_lines(catalog, tmp_path, capsys):
    # given
    good = _rows(1)[0]
    path = tmp_path / "permits.csv"
    path.write_text(
        "holder_code,holder_name,valid_from,valid_until,number,name,sex,born_on,address\n"
        f"{good.holder_code},周晓雯,2025-01-01,,PAPER-1,周晓雯,女,1985-01-01,广州市天河区\n"
        f"{good.holder_code},周晓雯,2025-13-01,,PAPER-2,周晓雯,女,1985-01-01,广州市天河区\n",
        encoding="utf-8",
    )

    # when
    with pytest.raises(CommandError):
        call_command(
            "licences", "import", str(path), "--type", factories.code_of(factories.RESIDENCE)
        )

    # then
    captured = capsys.readouterr()
    assert "line 3: invalid_date" in captured.err
    assert Licence.objects.get().number == "PAPER-1"
