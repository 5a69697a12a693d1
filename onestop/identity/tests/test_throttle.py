from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from onestop.core import context
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
    settings.ONESTOP_SIGNIN_DELAY_SECONDS = 60
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS = 30
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT = 20
    settings.ONESTOP_SIGNIN_WINDOW_SECONDS = 900


def _fail(username: str, ip: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(DomainError) as raised:
            services.signin_password(username=username, password="wrong", ip=ip)
        assert raised.value.code == "bad_credentials"


def test_five_failures_slow_the_account_from_that_address_even_for_the_right_password():
    # given
    staff(username="clerk")
    _fail("clerk", IP1, times=5)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # then: a minute's wait, said in seconds; the refusal is on record with its rule
    assert raised.value.code == "signin_throttled"
    assert raised.value.status == 429
    assert 55 <= raised.value.params["retry_after"] <= 60
    entry = AuditEntry.objects.get(action="signin.throttled")
    assert entry.changes["after"]["rule"] == "account_address"


def test_someone_guessing_elsewhere_does_not_lock_the_owner_out():
    # given: five wrong passwords for the clerk's account from another address
    clerk = staff(username="clerk")
    _fail("clerk", IP1, times=5)

    # when
    user = services.signin_password(username="clerk", password=PASSWORD, ip=IP2)

    # then
    assert user == clerk


def test_each_further_miss_doubles_the_wait():
    # given: five misses, then a sixth once the first wait is over
    staff(username="clerk")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail("clerk", IP1, times=5)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        _fail("clerk", IP1)

    # when
    with (
        time_machine.travel(start + timedelta(seconds=62), tick=False),
        pytest.raises(DomainError) as raised,
    ):
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # then
    assert raised.value.params["retry_after"] == 119


def test_the_account_key_ignores_case():
    # given
    staff(username="clerk")
    _fail("CLERK", IP1, times=5)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # then
    assert raised.value.code == "signin_throttled"


def test_failures_from_one_address_over_many_accounts_stop_that_address(settings):
    # given: one address tries one password on many accounts
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS = 6
    staff(username="clerk")
    for n in range(6):
        _fail(f"guess{n}", IP1)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip=IP1)
    other_address = services.signin_password(username="clerk", password=PASSWORD, ip=IP2)

    # then: until the oldest of those failures is a window old
    assert raised.value.code == "signin_throttled"
    assert 890 <= raised.value.params["retry_after"] <= 900
    assert other_address.username == "clerk"


def test_guessing_one_account_from_many_addresses_stops_except_where_the_owner_signs_in(
    settings,
):
    # given: the owner signed in from home before; then misses from eight addresses
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ACCOUNT = 8
    home = "198.51.100.80"
    token = context.client_ip.set(home)
    try:
        clerk = services.signin_password(
            username=staff(username="clerk").username, password=PASSWORD, ip=home
        )
    finally:
        context.client_ip.reset(token)
    for n in range(8):
        _fail("clerk", f"192.0.2.{n}")

    # when: a new address, and the owner's own
    with pytest.raises(DomainError) as raised:
        services.signin_password(username="clerk", password=PASSWORD, ip="192.0.2.200")
    owner = services.signin_password(username="clerk", password=PASSWORD, ip=home)

    # then
    assert raised.value.code == "signin_throttled"
    assert (
        AuditEntry.objects.filter(action="signin.throttled").get().changes["after"]["rule"]
        == "account"
    )
    assert owner == clerk


def test_wrong_passwords_do_not_block_the_sms_sign_in(sms_codes):
    # given: a citizen whose password was guessed at five times from their own address
    account = citizen(phone="13800138000")
    for _ in range(5):
        with pytest.raises(DomainError):
            services.signin_citizen_password(phone="13800138000", password="wrong", ip=IP1)
    with pytest.raises(DomainError) as locked:
        services.signin_citizen_password(phone="13800138000", password=PASSWORD, ip=IP1)

    # when
    services.signin_sms_code_request(phone="13800138000", ip=IP1)
    [code] = sms_codes("13800138000")
    user = services.signin_sms_code(phone="13800138000", code=code, ip=IP1)

    # then
    assert locked.value.code == "signin_throttled"
    assert user == account


def test_the_lock_lifts_when_the_window_has_passed():
    # given
    clerk = staff(username="clerk")
    with time_machine.travel(timezone.now() - timedelta(seconds=901), tick=False):
        _fail("clerk", IP1, times=5)

    # when
    user = services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # then
    assert user == clerk


def test_a_success_clears_the_account_failures_but_not_the_address_failures(settings):
    # given: four misses on the account, then the right password, all from one address
    settings.ONESTOP_SIGNIN_MAX_FAILURES_PER_ADDRESS = 5
    staff(username="clerk")
    _fail("clerk", IP1, times=4)
    services.signin_password(username="clerk", password=PASSWORD, ip=IP1)

    # when: one more miss from that address, on another name
    _fail("someone", IP1)

    # then: the address has five failures and is stopped; the account itself is not
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
    assert 0 < int(response["Retry-After"]) <= 60
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
