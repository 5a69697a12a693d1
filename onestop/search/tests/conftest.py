import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from onestop.core.departments import departments_load
from onestop.core.regions import regions_load
from onestop.search.relevance.evaluate import real_catalog_load


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_theme_names():
    """Theme names are cached a while in each process; each test reads its own."""
    from onestop.search.selectors import THEMES_CACHE_KEY

    cache.delete(THEMES_CACHE_KEY)


@pytest.fixture
def reference(db) -> None:
    regions_load()
    departments_load()


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    """The real Guangdong catalog and its index, loaded once for a module's tests and
    rolled back after them."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            real_catalog_load()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
