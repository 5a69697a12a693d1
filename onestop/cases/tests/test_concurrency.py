"""Many windows at once, with real threads on their own connections (PostgreSQL only, as the
hall's concurrency tests): case numbers are never given twice, and one case is decided
once."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from onestop.cases import services
from onestop.cases.models import Case, CaseEvent
from onestop.cases.tests.factories import office as office_build
from onestop.core.errors import Conflict

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

THREADS = 8
PER_THREAD = 10


def _run(workers: list[Callable[[], object]]) -> list[BaseException]:
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # reported by the assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_acceptances_at_one_centre_never_share_a_number():
    # given
    office = office_build()

    def accept_many() -> None:
        for _ in range(PER_THREAD):
            office.start()

    # when
    errors = _run([accept_many] * THREADS)
    # then
    assert errors == []
    numbers = [n or "" for n in Case.objects.values_list("number", flat=True)]
    assert len(numbers) == THREADS * PER_THREAD == len(set(numbers))
    assert sorted(n[-5:] for n in numbers) == [f"{i:05d}" for i in range(1, 81)]


def test_two_approvers_deciding_at_once_decide_once():
    # given
    office = office_build()
    case = office.ready_to_decide()
    services.case_assign(actor=office.approver, case_id=case.pk, assignee_id=office.approver.pk)

    def decide(actor, result, reason) -> Callable[[], object]:
        return lambda: services.case_decide(
            actor=actor, case_id=case.pk, result=result, reason=reason
        )

    # when
    errors = _run(
        [
            decide(office.approver, "approved", ""),
            decide(office.approver, "refused", "不符合法定条件"),
        ]
    )
    # then
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert CaseEvent.objects.filter(case=case, action="decide").count() == 1
