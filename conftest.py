"""Suite-wide fixtures."""

import importlib

import pytest
from django.db import connection

_audit_guard = importlib.import_module("onestop.core.migrations.0002_audit_append_only")


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
