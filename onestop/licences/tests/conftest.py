import pytest
from django.utils import translation

from onestop.licences.tests import factories


@pytest.fixture(autouse=True)
def english():
    """Messages in their English ids."""
    with translation.override("en"):
        yield


@pytest.fixture
def catalog(db):
    factories.catalog()
