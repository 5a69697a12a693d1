import pytest
from django.utils import translation

from onestop.delivery.devices import SimulatedLockerDevice
from onestop.delivery.tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def doors():
    SimulatedLockerDevice.reset()
    yield SimulatedLockerDevice
    SimulatedLockerDevice.reset()


@pytest.fixture(autouse=True)
def case_files(settings, tmp_path):
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")


@pytest.fixture
def hall(db):
    return factories.issuance()
