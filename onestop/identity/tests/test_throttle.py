from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.models import SignInFailure
from onestop.identity.tests.factories import PASSWORD, citizen, staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("identity:login")
IP1, IP2 = "203.0.113.1", "203.0.113.2"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ONESTOP_SIGNIN_MAX_FAILURES = 5
    settings.ONESTOP_SIGNIN_WINDOW_SECONDS = 900


def _fail(username: str, ip: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(DomainError) as raised:
            services.signin_password(username=username, password="wrong", ip=ip)
        assert raised.value.code == "bad_credentials"


def test_five_failures_lock_the_account_even_against_the_right_password():
    # given
    staff(username="clerk")
    _fail("clerk", IP1, times=5)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP2)

    # then
    assert raised.value.code == "signin_throttled"
    assert raised.value.status == 429
    assert AuditEntry.objects.filter(action="signin.throttled").count() == 1


def test_a_throttled_attempt_is_not_counted_as_another_failure():
    # given
    staff(username="clerk")
    _fail("clerk", IP1, times=5)

    # when
    with pytest.raises(DomainError):
        services.signin_password(username="clerk", password="wrong", ip=IP1)

    # then
    assert SignInFailure.objects.count() == 5


def test_the_account_key_ignores_case():
    # given
    staff(username="clerk")
    _fail("CLERK", IP1, times=5)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP2)

    # then
    assert raised.value.code == "signin_throttled"


def test_five_failures_from_one_address_lock_that_address_for_every_account():
    # given
    staff(username="clerk")
    for n in range(5):
        _fail(f"guess{n}", IP1)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)
    other_address = services.signin_password(username="clerk", password=PASSWORD, ip=IP2)

    # then
    assert raised.value.code == "signin_throttled"
    assert other_address.username == "clerk"


def test_the_lock_lifts_when_the_window_has_passed():
    # given
    clerk = staff(username="clerk")
    with time_machine.travel(timezone.now() - timedelta(seconds=901), tick=False):
        _fail("clerk", IP1, times=5)

    # when
    user = services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # then
    assert user == clerk


def test_a_success_clears_the_account_failures_but_not_the_address_failures():
    # given: four misses on the account, then the right password, all from one address
    staff(username="clerk")
    _fail("clerk", IP1, times=4)
    services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # when: one more miss from that address, on another name
    _fail("someone", IP1)

    # then: the address has five failures and is locked; the account itself is not
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)
    assert raised.value.code == "signin_throttled"
    assert services.signin_password(username="clerk", password=PASSWORD, ip=IP2).username == (
        "clerk"
    )
    assert SignInFailure.objects.filter(ip=IP1).count() == 5


def test_failures_store_a_hashed_account_key_never_the_name_or_phone():
    # given
    citizen(phone="13800138000")

    # when
    with pytest.raises(DomainError):
        services.signin_citizen_password(phone="13800138000", password="wrong", ip=IP1)

    # then
    failure = SignInFailure.objects.get()
    assert len(failure.subject) == 64
    assert "13800138000" not in failure.subject


def test_the_page_shows_the_lock_with_status_429(client):
    # given
    staff(username="clerk")
    for _ in range(5):
        client.post(LOGIN, {"username": "clerk", "password": "wrong"})

    # when
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    # then
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_old_failures_are_purged_and_recent_ones_kept():
    # given
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        _fail("old", IP1, times=2)
    _fail("new", IP1)

    # when
    deleted = services.signin_failures_purge()

    # then
    assert deleted == 2
    assert SignInFailure.objects.count() == 1
