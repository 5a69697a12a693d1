"""Every API token expires: a default lifetime per kind of account, a cap on what may be
asked for, and the cap applied to tokens stored before expiries were required."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from onestop.core.access import Role
from onestop.identity import services
from onestop.identity.models import ApiToken
from onestop.identity.tests.factories import machine, platform_admin, staff

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/identity/tokens"


@pytest.fixture(autouse=True)
def _lifetimes(settings):
    settings.ONESTOP_STAFF_TOKEN_DAYS = 30
    settings.ONESTOP_MACHINE_TOKEN_DAYS = 180
    settings.ONESTOP_TOKEN_MAX_DAYS = 365


def _days_left(token: ApiToken) -> float:
    assert token.expires_at is not None
    return (token.expires_at - timezone.now()).total_seconds() / 86400


def test_a_token_issued_without_an_expiry_gets_the_default_of_its_kind_of_account():
    # when
    for_staff, _ = services.api_token_issue(
        actor=platform_admin(), user=staff(Role.DATA_STEWARD), name="script"
    )
    for_machine, _ = services.api_token_issue(actor=platform_admin(), user=machine(), name="kiosk")

    # then
    assert 29.9 < _days_left(for_staff) <= 30
    assert 179.9 < _days_left(for_machine) <= 180


@pytest.mark.parametrize(
    "expires_at",
    [
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+14:00",
        "2200-01-01T00:00:00Z",
    ],
)
def test_an_expiry_past_the_cap_or_beyond_any_calendar_is_refused_not_a_crash(client, expires_at):
    # given
    client.force_login(platform_admin())
    kiosk = machine()

    # when
    response = client.post(
        TOKENS,
        {"name": "kiosk", "user_id": kiosk.pk, "expires_at": expires_at},
        content_type="application/json",
    )

    # then
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_token_expiry"
    assert not ApiToken.objects.exists()


def test_an_expiry_within_the_cap_is_kept():
    # given
    wanted = timezone.now() + timedelta(days=364)

    # when
    token, _ = services.api_token_issue(
        actor=platform_admin(), user=machine(), name="kiosk", expires_at=wanted
    )

    # then
    assert token.expires_at == wanted


def test_a_token_stored_without_an_expiry_stops_working_at_the_cap(client):
    # given: a token from before expiries were required, issued a year and a day ago
    with time_machine.travel(timezone.now() - timedelta(days=366), tick=False):
        token, plaintext = services.api_token_issue(
            actor=platform_admin(), user=machine(), name="old"
        )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)

    # when
    response = client.get("/api/v1/identity/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_a_stored_far_future_expiry_neither_outlives_the_cap_nor_breaks_the_admin(client):
    # given: a token stored with the latest moment a database holds
    token, plaintext = services.api_token_issue(
        actor=platform_admin(), user=machine(), name="forever"
    )
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    )
    client.force_login(platform_admin())

    # when
    listed = client.get(reverse("admin:identity_apitoken_changelist"))
    shown = client.get(reverse("admin:identity_apitoken_change", args=[token.pk]))
    listed_api = client.get(TOKENS, {"user_id": token.user_id})
    rotated = client.post(f"{TOKENS}/{token.pk}/rotate")
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        later = client.get("/api/v1/identity/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    # then
    assert listed.status_code == shown.status_code == listed_api.status_code == 200
    assert "forever" in listed.content.decode()
    assert rotated.status_code == 201
    successor = datetime.fromisoformat(rotated.json()["expires_at"])
    assert successor - timezone.now() <= timedelta(days=365)
    assert later.status_code == 401
