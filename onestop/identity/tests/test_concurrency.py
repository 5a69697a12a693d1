"""Racing requests on PostgreSQL, where concurrent writers really interleave (SQLite
serialises them): duplicates become clean conflicts, and a one-time code works once."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.identity import services
from onestop.identity.models import Person, RoleAssignment
from onestop.identity.tests.factories import CENTRE_ID, citizen, platform_admin, staff
from onestop.notifications.models import OutboxMessage

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

RACERS = 6
ID18 = "440106199003071231"
PHONE = "13800138000"


def _race(action: Callable[[], object]) -> Counter:
    """Run `action` in RACERS threads at once; count the outcomes ("ok" or an error code)."""
    start = threading.Barrier(RACERS)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait()
            action()
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        except BaseException as exc:  # counted, so the assertion shows it
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_racing_registrations_of_one_person_make_one_row_and_clean_conflicts():
    # given
    admin = platform_admin()

    # when
    outcomes = _race(lambda: services.person_register(actor=admin, name="张三", id_number=ID18))

    # then
    assert outcomes == Counter({"ok": 1, "duplicate_person": RACERS - 1})
    assert Person.objects.count() == 1


def test_racing_code_requests_send_one_sms():
    # given
    citizen(phone=PHONE)

    # when
    outcomes = _race(lambda: services.signin_sms_code_request(phone=PHONE))

    # then
    assert outcomes == Counter({"ok": 1, "sms_code_too_soon": RACERS - 1})
    assert OutboxMessage.objects.count() == 1


def test_racing_submissions_of_one_code_sign_in_once():
    # given
    citizen(phone=PHONE)
    services.signin_sms_code_request(phone=PHONE)
    code = OutboxMessage.objects.get().context["code"]

    # when
    outcomes = _race(lambda: services.signin_sms_code(phone=PHONE, code=code))

    # then
    assert outcomes == Counter({"ok": 1, "sms_code_expired": RACERS - 1})


def test_racing_grants_of_one_role_make_one_assignment():
    # given
    admin = platform_admin()
    user = staff()

    # when
    outcomes = _race(
        lambda: services.role_assign(
            actor=admin, user=user, role=Role.WINDOW_CLERK, centre_id=CENTRE_ID
        )
    )

    # then
    assert outcomes == Counter({"ok": 1, "duplicate_role_assignment": RACERS - 1})
    assert RoleAssignment.objects.filter(user=user).count() == 1
