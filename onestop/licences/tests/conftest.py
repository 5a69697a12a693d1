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


@pytest.fixture(autouse=True)
def fresh_cache():
    """Published status lists are cached by list id, and ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
