"""SMS sign-in codes are capped per number and per client address, and every refusal says
when to come back."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from onestop.core.errors import DomainError
from onestop.identity import services
from onestop.identity.models import SmsSignInCode
from onestop.identity.tests.factories import citizen

pytestmark = pytest.mark.django_db

REQUEST = reverse("identity:citizen_sms_request")
IP1, IP2 = "203.0.113.1", "203.0.113.2"


@pytest.fixture(autouse=True)
def _caps(settings):
    settings.ONESTOP_SMS_CODES_PER_PHONE_PER_DAY = 4
    settings.ONESTOP_SMS_CODES_PER_ADDRESS_PER_HOUR = 5
    settings.ONESTOP_SMS_CODES_PER_ADDRESS_PER_DAY = 8


def _request(phone: str, ip: str = IP1):
    return services.signin_sms_code_request(phone=phone, ip=ip)


def test_one_address_cannot_text_many_numbers():
    # given: five numbers texted from one address within the hour
    for n in range(5):
        _request(f"1390000000{n}")

    # when
    with pytest.raises(DomainError) as raised:
        _request("13900000009")
    elsewhere = _request("13900000009", ip=IP2)

    # then: refused until the first of them is an hour old; nothing stored for it
    assert raised.value.status == 429
    assert raised.value.code == "sms_code_limit"
    assert raised.value.params["rule"] == "address_hour"
    assert 3590 <= raised.value.params["retry_after"] <= 3600
    assert elsewhere.expires_in > 0
    assert SmsSignInCode.objects.count() == 6


def test_the_daily_cap_of_an_address_holds_across_hours():
    # given: eight codes over the day, four an hour apart twice
    start = timezone.now() - timedelta(hours=10)
    for n in range(8):
        with time_machine.travel(start + timedelta(hours=n), tick=False):
            _request(f"1390000000{n}")

    # when
    with pytest.raises(DomainError) as raised:
        _request("13900000009")

    # then: back when the first is a day old
    assert raised.value.params["rule"] == "address_day"
    assert 13 * 3600 < raised.value.params["retry_after"] <= 14 * 3600 + 1


def test_one_number_gets_at_most_so_many_codes_a_day_from_anywhere():
    # given: four codes for one number, from four addresses, a few minutes apart
    start = timezone.now() - timedelta(hours=1)
    for n in range(4):
        with time_machine.travel(start + timedelta(minutes=5 * n), tick=False):
            _request("13800138000", ip=f"198.51.100.{n}")

    # when
    with pytest.raises(DomainError) as raised:
        _request("13800138000", ip=IP2)

    # then
    assert raised.value.params["rule"] == "phone_day"
    assert raised.value.params["retry_after"] > 22 * 3600


def test_a_citizen_whose_number_was_texted_elsewhere_still_signs_in_with_their_password():
    # given: the day's codes for the number used up by someone else
    account = citizen(phone="13800138000")
    start = timezone.now() - timedelta(hours=1)
    for n in range(4):
        with time_machine.travel(start + timedelta(minutes=5 * n), tick=False):
            _request("13800138000", ip=f"198.51.100.{n}")

    # when
    user = services.signin_citizen_password(
        phone="13800138000", password="correct-horse-battery-42", ip=IP2
    )

    # then
    assert user == account


def test_the_page_and_the_api_say_when_to_come_back(client):
    # given
    client.post(REQUEST, {"phone": "13800138000"})

    # when
    page = client.post(REQUEST, {"phone": "13800138000"})
    api = client.post(
        "/api/v1/identity/signin/sms-code",
        {"phone": "13800138000"},
        content_type="application/json",
    )

    # then
    assert page.status_code == api.status_code == 429
    assert 0 < int(page["Retry-After"]) <= 60
    assert 0 < int(api["Retry-After"]) <= 60
    assert api.json()["code"] == "sms_code_too_soon"
