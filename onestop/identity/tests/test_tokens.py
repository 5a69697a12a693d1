import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.models import ApiToken
from onestop.identity.tests.factories import citizen, machine, platform_admin, staff

pytestmark = pytest.mark.django_db

ME = "/api/v1/identity/me"


def _me(client, token: str):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")


def _issue(user=None, **options):
    owner = user or machine()
    return services.api_token_issue(actor=platform_admin(), user=owner, name="kiosk", **options)


def test_a_token_is_shown_once_and_only_its_sha256_is_kept():
    # when
    token, plaintext = _issue()

    # then
    assert plaintext.startswith("os_" + token.prefix)
    assert len(token.prefix) == 8
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_apitoken")
        rows = cursor.fetchall()
    assert plaintext not in str(rows)
    assert plaintext not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_valid_token_reaches_me(client):
    # given
    kiosk = machine()
    _, plaintext = _issue(kiosk)

    # when
    response = _me(client, plaintext)

    # then
    assert response.status_code == 200
    assert response.json()["kind"] == "machine"
    assert response.json()["username"] == "kiosk-01"
    assert response.json()["roles"] == []


@pytest.mark.parametrize(
    "presented",
    ["os_0000000011111111111111111111111111111111111111111111", "not-even-ours", "os_"],
)
def test_an_unknown_token_is_token_invalid(client, presented):
    # when
    response = _me(client, presented)

    # then
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "token_invalid"


def test_a_revoked_token_is_refused_and_the_replay_is_audited(client):
    # given
    token, plaintext = _issue()
    services.api_token_revoke(actor=platform_admin(), token_id=token.pk)

    # when
    response = _me(client, plaintext)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    replay = AuditEntry.objects.get(action="token.replayed")
    assert replay.object_id == str(token.pk)


def test_a_rotated_token_is_a_replay_and_its_successor_works(client):
    # given
    kiosk = machine()
    token, old = _issue(kiosk)

    # when: the kiosk rotates its own token
    successor, new = services.api_token_rotate(actor=kiosk, token_id=token.pk)

    # then
    assert _me(client, old).json()["code"] == "token_revoked"
    assert _me(client, new).status_code == 200
    assert successor.name == token.name
    assert successor.pk != token.pk


def test_an_expired_token_is_token_expired(client):
    # given
    _, plaintext = _issue(expires_at=timezone.now() + timedelta(hours=1))

    # when
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = _me(client, plaintext)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_a_token_of_a_switched_off_account_is_refused(client):
    # given
    kiosk = machine()
    _, plaintext = _issue(kiosk)
    services.account_set_active(actor=platform_admin(), user_id=kiosk.pk, active=False)

    # when
    response = _me(client, plaintext)

    # then
    assert response.json()["code"] == "token_revoked"


def test_last_used_is_written_at_most_once_a_minute(client):
    # given
    token, plaintext = _issue()
    start = timezone.now()

    # when
    with time_machine.travel(start, tick=False):
        _me(client, plaintext)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        _me(client, plaintext)
    token.refresh_from_db()
    first = token.last_used_at
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        _me(client, plaintext)
    token.refresh_from_db()

    # then
    assert first == start
    assert token.last_used_at == start + timedelta(seconds=61)


def test_a_token_used_again_within_the_minute_costs_one_query_and_no_write(
    client, django_assert_num_queries
):
    # given a machine's token, used once (its last use written)
    token, plaintext = _issue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _me(client, plaintext)

    # when it is used again within the minute
    with (
        time_machine.travel(start + timedelta(seconds=30), tick=False),
        django_assert_num_queries(1) as captured,
    ):
        response = _me(client, plaintext)

    # then the token and its account are read in one query, and nothing is written
    assert response.status_code == 200
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")
    token.refresh_from_db()
    assert token.last_used_at == start


def test_without_a_token_or_session_me_is_401(client):
    # when
    response = client.get(ME)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_browser_session_reaches_me_with_roles(client):
    # given
    clerk = staff(Role.WINDOW_CLERK, display_name="陈晓雯")
    client.force_login(clerk)

    # when
    response = client.get(ME)

    # then
    body = response.json()
    assert body["kind"] == "staff"
    assert body["display_name"] == "陈晓雯"
    assert [(r["role"], r["centre_id"]) for r in body["roles"]] == [("window_clerk", 12)]


def test_a_citizen_sees_their_person_masked_on_me(client):
    # given
    account = citizen(phone="13800138000")
    client.force_login(account)

    # when
    body = client.get(ME).json()

    # then
    assert body["person"]["phone_masked"] == "138****8000"
    assert "13800138000" not in str(body)


def test_tokens_are_issued_to_staff_and_machines_only():
    # given
    before = ApiToken.objects.count()

    # when
    with pytest.raises(DomainError) as raised:
        _issue(citizen())

    # then
    assert raised.value.code == "not_allowed"
    assert ApiToken.objects.count() == before


def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(DomainError) as raised:
        _issue(expires_at=timezone.now() - timedelta(minutes=1))
    assert raised.value.code == "invalid_token_expiry"
    assert ApiToken.objects.count() == 0


def test_a_clerk_cannot_revoke_someone_elses_token():
    # given
    token, _ = _issue()

    # when
    with pytest.raises(DomainError) as raised:
        services.api_token_revoke(actor=staff(Role.WINDOW_CLERK), token_id=token.pk)

    # then
    assert raised.value.code == "token_not_found"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_issue_list_and_revoke_their_own_tokens_through_the_api(client):
    # given
    clerk = staff(Role.WINDOW_CLERK)
    client.force_login(clerk)

    # when
    issued = client.post(
        "/api/v1/identity/tokens", {"name": "my script"}, content_type="application/json"
    )
    listed = client.get("/api/v1/identity/tokens")
    revoked = client.delete(f"/api/v1/identity/tokens/{issued.json()['id']}")

    # then
    assert issued.status_code == 201
    assert issued.json()["token"].startswith("os_")
    assert [t["name"] for t in listed.json()] == ["my script"]
    assert "token" not in listed.json()[0]
    assert revoked.status_code == 204
    assert _me(client, issued.json()["token"]).json()["code"] == "token_revoked"


def test_a_clerk_cannot_issue_a_token_for_someone_else_through_the_api(client):
    # given
    kiosk = machine()
    client.force_login(staff(Role.WINDOW_CLERK))

    # when
    response = client.post(
        "/api/v1/identity/tokens",
        {"name": "x", "user_id": kiosk.pk},
        content_type="application/json",
    )

    # then
    assert response.status_code == 404
    assert ApiToken.objects.count() == 0


def test_a_session_must_pass_csrf_on_unsafe_methods():
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff(Role.WINDOW_CLERK))

    # when
    response = browser.post(
        "/api/v1/identity/tokens", {"name": "x"}, content_type="application/json"
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert ApiToken.objects.count() == 0


# --- Citizens through a partner channel ---------------------------------------------------------

TOKEN = "/api/v1/identity/signin/token"
CHANNEL_PHONE = "13800138000"


def _exchange(client, code: str, channel: str = "穗好办"):
    return client.post(
        TOKEN,
        {"phone": CHANNEL_PHONE, "code": code, "channel": channel},
        content_type="application/json",
    )


def test_a_channel_trades_a_citizens_code_for_a_token_that_expires(client, sms_codes, settings):
    # given
    settings.ONESTOP_CITIZEN_TOKEN_DAYS = 30
    account = citizen(phone=CHANNEL_PHONE)
    services.signin_sms_code_request(phone=CHANNEL_PHONE)
    [code] = sms_codes(CHANNEL_PHONE)

    # when
    issued = _exchange(client, code)

    # then: a token of the citizen, named after the channel, for 30 days
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert (body["user_id"], body["name"]) == (account.pk, "穗好办")
    token = ApiToken.objects.get(pk=body["id"])
    assert token.expires_at is not None
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=5)
    assert _me(client, body["token"]).json()["kind"] == "citizen"
    assert AuditEntry.objects.filter(action="token.issue", actor_id=account.pk).count() == 1
    # and the code is spent
    assert _exchange(client, code).json()["code"] == "sms_code_expired"


def test_a_citizens_token_cannot_mint_others_but_revokes_itself(client, sms_codes):
    # given
    citizen(phone=CHANNEL_PHONE)
    services.signin_sms_code_request(phone=CHANNEL_PHONE)
    body = _exchange(client, sms_codes(CHANNEL_PHONE)[0]).json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}

    # when
    minted = client.post(
        "/api/v1/identity/tokens", {"name": "more"}, content_type="application/json", **bearer
    )
    listed = client.get("/api/v1/identity/tokens", **bearer)
    revoked = client.delete(f"/api/v1/identity/tokens/{body['id']}", **bearer)

    # then
    assert (minted.status_code, minted.json()["code"]) == (422, "not_allowed")
    assert [t["name"] for t in listed.json()] == ["穗好办"]
    assert revoked.status_code == 204
    assert _me(client, body["token"]).json()["code"] == "token_revoked"


@pytest.mark.parametrize(
    ("code_of", "channel", "error"),
    [
        (lambda code: f"{(int(code) + 1) % 1_000_000:06d}", "穗好办", "sms_code_wrong"),
        (lambda code: code, "   ", "invalid_name"),
        (lambda code: code, "穗\x00好办", "invalid_name"),
    ],
    ids=["wrong code", "blank channel", "control character"],
)
def test_a_bad_exchange_issues_nothing_and_a_bad_channel_keeps_the_code(
    client, sms_codes, code_of, channel, error
):
    # given
    citizen(phone=CHANNEL_PHONE)
    services.signin_sms_code_request(phone=CHANNEL_PHONE)
    [code] = sms_codes(CHANNEL_PHONE)

    # when
    refused = _exchange(client, code_of(code), channel)

    # then
    assert (refused.status_code, refused.json()["code"]) == (422, error)
    assert ApiToken.objects.count() == 0
    if error == "invalid_name":
        assert _exchange(client, code).status_code == 201


def test_an_unknown_number_gets_no_token(client):
    refused = _exchange(client, "123456")
    assert refused.status_code in (401, 422)
    assert refused.json()["code"] == "sms_code_expired"
    assert ApiToken.objects.count() == 0
