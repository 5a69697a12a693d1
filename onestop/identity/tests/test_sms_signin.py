from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.models import SignInFailure, SmsSignInCode
from onestop.identity.tests.factories import citizen
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

REQUEST = reverse("identity:citizen_sms_request")
SUBMIT = reverse("identity:citizen_sms_login")
PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _ttl(settings):
    settings.ONESTOP_SMS_CODE_TTL_SECONDS = 300


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_citizen_signs_in_with_an_sms_code_from_start_to_finish(client, sms_codes):
    # given
    account = citizen(phone=PHONE)

    # when: ask for a code
    asked = client.post(f"{REQUEST}?next=/me/", {"phone": PHONE})

    # then: sent to the outbox, and the next page knows the number
    assert asked.status_code == 302
    assert asked["Location"] == f"{SUBMIT}?next=%2Fme%2F"
    [code] = sms_codes(PHONE)
    assert len(code) == 6
    assert code.isdigit()
    form = client.get(asked["Location"])
    assert f'value="{PHONE}"' in form.content.decode()
    assert "a code is on its way" in form.content.decode()

    # when: submit it
    done = client.post(asked["Location"], {"phone": PHONE, "code": code})

    # then
    assert done.status_code == 302
    assert done["Location"] == "/me/"
    assert client.session[SESSION_KEY] == str(account.pk)
    assert SmsSignInCode.objects.get().used_at is not None
    assert AuditEntry.objects.filter(action="signin.succeeded").get().changes == {
        "after": {"method": "sms_code"}
    }


def test_the_code_is_stored_only_as_a_hash(sms_codes):
    # given
    citizen(phone=PHONE)

    # when
    services.signin_sms_code_request(phone=PHONE)

    # then
    [code] = sms_codes(PHONE)
    row = SmsSignInCode.objects.get()
    assert code not in row.code_hash
    assert len(row.code_hash) == 64


def test_an_unknown_number_gets_the_same_answer_and_no_sms(client):
    # given
    citizen(phone=PHONE)

    # when
    known = client.post(REQUEST, {"phone": PHONE})
    unknown = client.post(REQUEST, {"phone": "13900139000"})

    # then
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert OutboxMessage.objects.count() == 1


def test_the_api_answers_the_same_for_known_and_unknown_numbers(client):
    # given
    citizen(phone=PHONE)
    url = "/api/v1/identity/signin/sms-code"

    # when
    known = client.post(url, {"phone": PHONE}, content_type="application/json")
    unknown = client.post(url, {"phone": "13900139000"}, content_type="application/json")

    # then
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("phone", [PHONE, "13900139000"], ids=["known", "unknown"])
def test_a_second_request_within_a_minute_is_refused_for_any_number(client, phone):
    # given
    citizen(phone=PHONE)
    client.post(REQUEST, {"phone": phone})
    before = (SmsSignInCode.objects.count(), OutboxMessage.objects.count())

    # when
    response = client.post(REQUEST, {"phone": phone})

    # then
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    assert (SmsSignInCode.objects.count(), OutboxMessage.objects.count()) == before


def test_a_new_code_may_be_requested_after_a_minute_and_replaces_the_old(sms_codes):
    # given
    citizen(phone=PHONE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.signin_sms_code_request(phone=PHONE)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        services.signin_sms_code_request(phone=PHONE)
    first, second = sms_codes(PHONE)

    # when
    with time_machine.travel(start + timedelta(seconds=62), tick=False):
        with pytest.raises(DomainError) as raised:
            services.signin_sms_code(phone=PHONE, code=first)
        user = services.signin_sms_code(phone=PHONE, code=second)

    # then
    assert raised.value.code == "sms_code_wrong"
    assert user.person is not None
    assert user.person.phone_masked == "138****8000"


def test_a_wrong_code_is_refused_and_counts_down_the_tries(sms_codes):
    # given
    citizen(phone=PHONE)
    services.signin_sms_code_request(phone=PHONE)
    [code] = sms_codes(PHONE)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_sms_code(phone=PHONE, code=_wrong(code))

    # then
    assert raised.value.code == "sms_code_wrong"
    assert raised.value.params == {"attempts_left": 4}
    assert SmsSignInCode.objects.get().attempts == 1
    assert SignInFailure.objects.count() == 1


def test_after_five_wrong_codes_even_the_right_one_is_refused(settings, sms_codes):
    # given: a high throttle, so that only the code's own limit is in play
    settings.ONESTOP_SIGNIN_MAX_FAILURES = 100
    citizen(phone=PHONE)
    services.signin_sms_code_request(phone=PHONE)
    [code] = sms_codes(PHONE)
    for _ in range(5):
        with pytest.raises(DomainError):
            services.signin_sms_code(phone=PHONE, code=_wrong(code))

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_sms_code(phone=PHONE, code=code)

    # then
    assert raised.value.code == "sms_code_wrong"
    assert raised.value.params == {"attempts_left": 0}
    assert SmsSignInCode.objects.get().used_at is None


def test_an_expired_code_is_refused(sms_codes):
    # given
    citizen(phone=PHONE)
    services.signin_sms_code_request(phone=PHONE)
    [code] = sms_codes(PHONE)

    # when
    later = timezone.now() + timedelta(seconds=301)
    with time_machine.travel(later), pytest.raises(DomainError) as raised:
        services.signin_sms_code(phone=PHONE, code=code)

    # then
    assert raised.value.code == "sms_code_expired"


def test_a_used_code_cannot_be_used_again(client, sms_codes):
    # given
    citizen(phone=PHONE)
    client.post(REQUEST, {"phone": PHONE})
    [code] = sms_codes(PHONE)
    client.post(SUBMIT, {"phone": PHONE, "code": code})
    client.post(reverse("identity:logout"))

    # when
    response = client.post(SUBMIT, {"phone": PHONE, "code": code})

    # then
    assert response.status_code == 422
    assert SESSION_KEY not in client.session
    assert "expired or was already used" in response.context["error"]


def test_a_code_for_a_number_without_a_code_is_expired_not_wrong():
    # given
    citizen(phone=PHONE)

    # when
    with pytest.raises(DomainError) as raised:
        services.signin_sms_code(phone=PHONE, code="123456")

    # then
    assert raised.value.code == "sms_code_expired"


def test_a_bad_number_is_refused_before_anything_is_written(client):
    # when
    response = client.post(REQUEST, {"phone": "1234"})

    # then
    assert response.status_code == 422
    assert SmsSignInCode.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_the_sms_is_sent_in_the_account_language(sms_codes):
    # given
    account = citizen(phone=PHONE)
    account.preferred_language = "en"
    account.save()

    # when
    services.signin_sms_code_request(phone=PHONE, language="zh-hans")

    # then
    assert OutboxMessage.objects.get().language == "en"
