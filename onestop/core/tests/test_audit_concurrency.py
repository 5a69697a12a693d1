"""Audit streams under real concurrency, on PostgreSQL: threads, each with its own database
connection. A writer of one stream never waits for a writer of another; writers of one
stream queue and chain one after the other.

SQLite takes one write lock for the whole database, so there is nothing to race there."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from onestop.core.audit import audit_record, audit_verify
from onestop.core.models import AuditEntry

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WAIT_S = 10


def _append(stream: str, n: int = 0) -> AuditEntry:
    return audit_record(actor=None, action="test.write", object_type=f"{stream}.thing", object_id=n)


class _Holder(threading.Thread):
    """Appends to `stream` and keeps its transaction open until released."""

    def __init__(self, stream: str) -> None:
        super().__init__()
        self.stream = stream
        self.holding = threading.Event()
        self.release = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            with transaction.atomic():
                _append(self.stream)
                self.holding.set()
                self.release.wait(WAIT_S * 3)
        except BaseException as exc:  # reported by the assertion
            self.errors.append(repr(exc))
        finally:
            connection.close()


def _in_thread(work: Callable[[], AuditEntry], results: list, errors: list) -> threading.Thread:
    def run() -> None:
        try:
            with transaction.atomic():
                results.append(work())
        except BaseException as exc:  # reported by the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_writer_of_another_stream_commits_while_one_stream_is_held():
    # given: a transaction holding stream "hall" open
    holder = _Holder("hall")
    holder.start()
    assert holder.holding.wait(WAIT_S)

    # when
    results: list[AuditEntry] = []
    errors: list[str] = []
    other = _in_thread(lambda: _append("identity"), results, errors)
    other.join(WAIT_S)
    committed_while_held = not other.is_alive()
    holder.release.set()
    holder.join(WAIT_S)
    other.join(WAIT_S)

    # then
    assert committed_while_held
    assert errors == [] and holder.errors == []
    assert AuditEntry.objects.filter(stream="identity").count() == 1


def test_a_writer_of_the_same_stream_waits_and_then_chains_after_it():
    # given
    holder = _Holder("hall")
    holder.start()
    assert holder.holding.wait(WAIT_S)

    # when
    results: list[AuditEntry] = []
    errors: list[str] = []
    same = _in_thread(lambda: _append("hall"), results, errors)
    same.join(1.5)
    waited = same.is_alive()
    holder.release.set()
    holder.join(WAIT_S)
    same.join(WAIT_S)

    # then
    assert waited
    assert errors == [] and holder.errors == []
    first, second = AuditEntry.objects.filter(stream="hall").order_by("seq")
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.entry_hash


def test_eight_writers_over_four_streams_leave_every_chain_whole():
    # given
    writers, appends = 8, 25
    start = threading.Barrier(writers)
    errors: list[str] = []

    def write(index: int) -> None:
        try:
            start.wait()
            for n in range(appends):
                with transaction.atomic():
                    _append(f"s{index % 4}", n)
        except BaseException as exc:  # reported by the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    # then
    assert errors == []
    report = audit_verify()
    assert report.ok, [s.problem for s in report.streams]
    assert [(s.stream, s.checked) for s in report.streams] == [
        (f"s{i}", 2 * appends) for i in range(4)
    ]


def test_two_first_appends_to_a_new_stream_both_land():
    # given: nothing in stream "fresh" yet, so both racers find no head row
    start = threading.Barrier(2)
    results: list[AuditEntry] = []
    errors: list[str] = []

    def first_append() -> AuditEntry:
        start.wait()
        return _append("fresh")

    # when
    threads = [_in_thread(first_append, results, errors) for _ in range(2)]
    for thread in threads:
        thread.join(WAIT_S)

    # then
    assert errors == []
    assert sorted(e.seq for e in results) == [1, 2]
    assert audit_verify().ok
