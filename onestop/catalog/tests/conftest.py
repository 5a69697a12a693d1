import csv
from pathlib import Path

import pytest
from django.utils import translation

from onestop.catalog.importing.layouts import NATIVE_COLUMNS
from onestop.catalog.tests import factories
from onestop.core.departments import departments_load
from onestop.core.regions import regions_load

REAL_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "gd_service_items_2021.csv"


@pytest.fixture(autouse=True)
def english():
    """Messages in their English ids, whatever the catalogues translate them to."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference(db) -> None:
    """The city's regions and departments, as the loaders load them."""
    regions_load()
    departments_load()


@pytest.fixture
def platform_admin(db):
    return factories.platform_admin()


@pytest.fixture
def police_approver(reference):
    return factories.approver("GZ-GAJ")


@pytest.fixture
def justice_approver(reference):
    return factories.approver("GZ-SFJ")


@pytest.fixture
def citizen(db):
    return factories.citizen()


@pytest.fixture
def write_native(tmp_path):
    """Write native-layout rows (dicts of the columns that matter) to a CSV file."""

    def write(rows: list[dict[str, str]], name: str = "items.csv") -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, NATIVE_COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({column: row.get(column, "") for column in NATIVE_COLUMNS})
        return path

    return write
