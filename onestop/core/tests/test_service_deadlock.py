"""Two audited services writing two apps' audit streams in opposite orders, at the same
moment, on PostgreSQL: the database aborts one as a deadlock, and the service runs again, so
both commit and both streams stay whole."""

import threading

import pytest
from django.db import connection

from onestop.core.audit import audit_record, audit_verify
from onestop.core.models import AuditEntry
from onestop.core.service import audited

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WAIT_S = 30
both_hold_their_first = threading.Barrier(2, timeout=WAIT_S)
runs: list[str] = []


def _write(stream: str) -> None:
    audit_record(actor=None, action=f"{stream}.thing.written", object_type=f"{stream}.thing")


def _two_streams(first: str, second: str) -> None:
    runs.append(first)
    _write(first)
    if runs.count(first) == 1:
        # Only the first run waits, so the other holds its first stream by now too.
        both_hold_their_first.wait()
    _write(second)


@audited("alpha.thing.written", "beta.thing.written")
def alpha_then_beta() -> None:
    _two_streams("alpha", "beta")


@audited("alpha.thing.written", "beta.thing.written")
def beta_then_alpha() -> None:
    _two_streams("beta", "alpha")


def test_the_loser_of_a_deadlock_between_two_streams_runs_again():
    # given
    errors: list[str] = []

    def run(service) -> None:
        try:
            service()
        except BaseException as exc:  # reported by the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in (alpha_then_beta, beta_then_alpha)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)

    # then: one ran twice (aborted once), and each committed its two entries exactly once
    assert errors == []
    assert len(runs) == 3
    assert AuditEntry.objects.filter(stream="alpha").count() == 2
    assert AuditEntry.objects.filter(stream="beta").count() == 2
    assert audit_verify().ok
