"""Two clerks depositing at once, with real threads on their own connections (PostgreSQL
only, as the other concurrency tests): a compartment is never given to two results."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from onestop.core.errors import Conflict
from onestop.delivery import services
from onestop.delivery.enums import DepositState
from onestop.delivery.models import Deposit
from onestop.delivery.tests import factories

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


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


def _deposit(hall, case) -> Callable[[], object]:
    return lambda: services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S")


def test_two_deposits_at_once_for_the_last_compartment_give_it_once():
    # given
    hall = factories.issuance(S=["A01"])
    first, second = hall.awaiting(), hall.awaiting()
    # when
    errors = _run([_deposit(hall, first), _deposit(hall, second)])
    # then
    assert [type(e) for e in errors] == [Conflict]
    assert errors[0].code == "no_free_compartment"  # type: ignore[attr-defined]
    assert Deposit.objects.filter(state=DepositState.WAITING).count() == 1


def test_two_deposits_at_once_take_two_different_compartments():
    # given
    hall = factories.issuance(S=["A01", "A02"])
    first, second = hall.awaiting(), hall.awaiting()
    # when
    errors = _run([_deposit(hall, first), _deposit(hall, second)])
    # then
    assert errors == []
    labels = sorted(Deposit.objects.values_list("compartment__label", flat=True))
    assert labels == ["A01", "A02"]
