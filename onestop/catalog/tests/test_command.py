"""`onestop catalog import` and `export` from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onestop.catalog.models import ServiceItem
from onestop.catalog.tests.conftest import REAL_FILE
from onestop.catalog.tests.factories import native_row

pytestmark = pytest.mark.django_db


def test_import_prints_each_rejected_row_and_the_figures(reference):
    # given
    out, err = StringIO(), StringIO()

    # when
    call_command("catalog", "import", str(REAL_FILE), stdout=out, stderr=err)

    # then
    assert "line 2161: unknown department '广州市国家安全局'" in err.getvalue()
    assert err.getvalue().count("\n") == 27
    assert (
        "gd_service_items_2021.csv (guangdong layout): 2262 rows, 2235 created, "
        "0 updated (new version), 0 unchanged, 27 rejected" in out.getvalue()
    )
    assert "rows/s" in out.getvalue()


def test_all_or_nothing_fails_the_command_and_loads_nothing(reference, write_native):
    # given
    path = write_native([native_row(), native_row(promised_limit="abc(工作日)")])

    # when
    with pytest.raises(CommandError, match="nothing was loaded: 1 row"):
        call_command(
            "catalog", "import", str(path), "--all-or-nothing", stdout=StringIO(), stderr=StringIO()
        )

    # then
    assert ServiceItem.objects.count() == 0


def test_a_missing_file_is_a_clear_error(reference, tmp_path):
    with pytest.raises(CommandError, match=r"no-such\.csv cannot be read: no such file"):
        call_command("catalog", "import", str(tmp_path / "no-such.csv"))


def test_export_writes_what_import_reads(reference, write_native, tmp_path):
    # given
    call_command(
        "catalog", "import", str(write_native([native_row(), native_row()])), stdout=StringIO()
    )
    target = tmp_path / "out.csv"
    out = StringIO()

    # when
    call_command("catalog", "export", str(target), stdout=out)
    call_command("catalog", "import", str(target), "--format", "native", stdout=out)

    # then
    assert "2 published items written" in out.getvalue()
    assert "2 rows, 0 created, 0 updated (new version), 2 unchanged, 0 rejected" in out.getvalue()
