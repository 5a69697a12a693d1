"""Suite-wide fixtures."""

import importlib

import pytest
from django.db import connection
from django.db.models.signals import post_migrate

from tests.support.seeds import migration_seeds_restore

_audit_guard = importlib.import_module("onestop.core.migrations.0002_audit_append_only")


def _seeds_after_flush(sender, **kwargs):
    # A committing test (`transaction=True`) ends with a flush that empties every table,
    # including what data migrations seeded; the flush then sends post_migrate, as migrate
    # does. Putting the seeds back here keeps later tests from finding them gone.
    if sender.label == "catalog":
        migration_seeds_restore()


post_migrate.connect(_seeds_after_flush, dispatch_uid="tests-seeds-after-flush")


@pytest.fixture(autouse=True)
def _caches_fresh():
    # Cached values (catalog counts, theme names, form choices, status lists) live in the
    # process's memory and outlive the rows a test rolled back or flushed: each test starts
    # with empty in-memory caches, so no test reads what an earlier one cached. A shared
    # cache (Redis) is keyed per test database and worker (config/settings/test.py), and
    # the catalog counts, kept in it by generation, are forgotten explicitly.
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from onestop.catalog.selectors import counts_forget

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    counts_forget()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Tests that commit (browser journeys, worker processes) are cleaned up by flushing every
    # table. PostgreSQL flushes with TRUNCATE, which row triggers don't see; SQLite flushes
    # with DELETE, which the audit log's append-only triggers refuse. So on SQLite the suite
    # runs without them, and the tests of the triggers put them back for their own duration
    # (the `audit_append_only_guard` fixture).
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for statement in _audit_guard.SQLITE_DOWN:
                cursor.execute(statement)


@pytest.fixture
def audit_append_only_guard(db):
    """The audit log's triggers exactly as the migration installs them, inside this test's
    transaction (rolled back with it)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in _audit_guard.SQLITE_UP:
                cursor.execute(statement)
