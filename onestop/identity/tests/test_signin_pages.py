import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from onestop.core.access import Role
from onestop.core.models import AuditEntry
from onestop.identity.models import SignInFailure
from onestop.identity.tests.factories import PASSWORD, PersonFactory, citizen, staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("identity:login")
CITIZEN_LOGIN = reverse("identity:citizen_login")
HOME = resolve_url(settings.LOGIN_REDIRECT_URL)


def test_the_staff_form_has_labelled_fields_and_a_csrf_token(client):
    # when
    response = client.get(LOGIN)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_staff_sign_in_goes_home_and_is_audited_without_the_password(client):
    # given
    clerk = staff(Role.WINDOW_CLERK, username="clerk")

    # when
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session[SESSION_KEY] == str(clerk.pk)
    entry = AuditEntry.objects.get(action="signin.succeeded")
    assert entry.actor_id == clerk.pk
    assert entry.changes == {"after": {"method": "password"}}
    assert PASSWORD not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_sign_in_follows_a_next_on_this_site(client):
    # given
    staff(username="clerk")

    # when
    response = client.post(f"{LOGIN}?next=/staff/", {"username": "clerk", "password": PASSWORD})

    # then
    assert response["Location"] == "/staff/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_sign_in_ignores_a_next_that_leaves_the_site(client, target):
    # given
    staff(username="clerk")

    # when
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD, "next": target})

    # then
    assert response["Location"] == HOME


def test_a_wrong_password_shows_an_alert_and_opens_no_session(client):
    # given
    staff(username="clerk")

    # when
    response = client.post(LOGIN, {"username": "clerk", "password": "not-it"})

    # then
    assert response.status_code == 401
    assert 'role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(action="signin.failed")
    assert entry.changes["after"]["reason"] == "bad_password"
    assert "not-it" not in str(entry.changes)
    assert SignInFailure.objects.count() == 1


def test_a_citizen_account_cannot_use_the_staff_form(client):
    # given
    account = citizen()

    # when
    response = client.post(LOGIN, {"username": account.username, "password": PASSWORD})

    # then
    assert response.status_code == 401
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.get(action="signin.failed").changes["after"]["reason"] == (
        "wrong_kind"
    )


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    # given
    staff(username="clerk")

    # when
    unknown = client.post(LOGIN, {"username": "nobody", "password": "x"})
    wrong = client.post(LOGIN, {"username": "clerk", "password": "x"})

    # then
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.context["error"] == wrong.context["error"]


def test_an_empty_form_is_refused_with_field_errors(client):
    # when
    response = client.post(LOGIN, {"username": "", "password": ""})

    # then
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert SignInFailure.objects.count() == 0


def test_the_forms_refuse_a_post_without_csrf_token():
    # given
    staff(username="clerk")
    browser = Client(enforce_csrf_checks=True)

    # when
    response = browser.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    # then
    assert response.status_code == 403
    assert SESSION_KEY not in browser.session


def test_a_citizen_signs_in_with_phone_and_password(client):
    # given
    account = citizen(phone="13800138000")

    # when
    response = client.post(CITIZEN_LOGIN, {"phone": "138-0013-8000", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(account.pk)


def test_a_staff_member_cannot_sign_in_on_the_citizen_form(client):
    # given: a staff account linked to its holder's person record, phone and all
    clerk = staff(username="clerk")
    clerk.person = PersonFactory.create(phone="13800138000")
    clerk.save()

    # when
    response = client.post(CITIZEN_LOGIN, {"phone": "13800138000", "password": PASSWORD})

    # then
    assert response.status_code == 401
    assert SESSION_KEY not in client.session


def test_an_invalid_phone_on_the_citizen_form_says_so_and_counts_no_failure(client):
    # when
    response = client.post(CITIZEN_LOGIN, {"phone": "12345", "password": "x"})

    # then
    assert response.status_code == 422
    assert "11 digits" in response.context["error"]
    assert SignInFailure.objects.count() == 0


def test_sign_out_is_a_post_that_ends_the_session(client):
    # given
    clerk = staff(username="clerk")
    client.force_login(clerk)

    # when
    refused = client.get(reverse("identity:logout"))
    response = client.post(reverse("identity:logout"))

    # then
    assert refused.status_code == 405
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action="signout", actor_id=clerk.pk).count() == 1


def test_the_admin_sign_in_goes_through_the_same_audited_service(client):
    # given
    staff(username="clerk")

    # when
    client.post("/admin/login/", {"username": "clerk", "password": "wrong"})

    # then
    assert AuditEntry.objects.filter(action="signin.failed").count() == 1
    assert SignInFailure.objects.count() == 1
