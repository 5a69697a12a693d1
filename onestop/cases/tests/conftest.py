import pytest
from django.utils import translation

from onestop.cases.tests import factories


@pytest.fixture(autouse=True)
def english():
    """Messages in their English ids."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def case_files(settings, tmp_path):
    settings.ONESTOP_CASE_FILES_DIR = str(tmp_path / "case-files")


@pytest.fixture
def office(db):
    return factories.office()
