import pytest
from django.urls import reverse

from onestop.core.access import Role
from onestop.core.models import AuditEntry
from onestop.identity.models import ApiToken, RoleAssignment, User
from onestop.identity.services import api_token_issue
from onestop.identity.tests.factories import (
    CENTRE_ID,
    PASSWORD,
    PersonFactory,
    machine,
    platform_admin,
    staff,
)

pytestmark = pytest.mark.django_db

ID18 = "440106199003071231"
PHONE = "13800138000"


@pytest.fixture
def admin_client(client):
    client.force_login(platform_admin())
    return client


def test_the_person_list_shows_masks_only(admin_client):
    # given
    PersonFactory.create(name="张三丰", id_number=ID18, phone=PHONE)

    # when
    response = admin_client.get(reverse("admin:identity_person_changelist"))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "4401**********1231" in html
    assert "138****8000" in html
    for plaintext in (ID18, PHONE, "张三丰"):
        assert plaintext not in html


@pytest.mark.parametrize("term", [ID18, PHONE])
def test_a_person_is_found_by_full_id_or_phone_through_the_blind_index(admin_client, term):
    # given
    person = PersonFactory.create(id_number=ID18, phone=PHONE)
    PersonFactory.create()

    # when
    response = admin_client.get(reverse("admin:identity_person_changelist"), {"q": term})

    # then
    assert list(response.context["cl"].result_list) == [person]


def test_a_person_cannot_be_added_or_edited_in_the_admin(admin_client):
    # given
    person = PersonFactory.create()

    # when
    add = admin_client.get(reverse("admin:identity_person_add"))
    change = admin_client.post(
        reverse("admin:identity_person_change", args=[person.pk]), {"name": "x"}
    )

    # then
    assert add.status_code == 403
    assert change.status_code == 403


def test_staff_created_in_the_admin_go_through_the_audited_service(admin_client):
    # when
    response = admin_client.post(
        reverse("admin:identity_user_add"),
        {
            "username": "clerk.lin",
            "display_name": "林嘉欣",
            "password": PASSWORD,
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": Role.WINDOW_CLERK,
            "roles-0-centre_id": str(CENTRE_ID),
        },
    )

    # then
    assert response.status_code == 302
    user = User.objects.get(username="clerk.lin")
    assert user.check_password(PASSWORD)
    assert list(user.roles.values_list("role", flat=True)) == ["window_clerk"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.create", "role.assign"} <= actions


def test_a_role_without_its_scope_is_refused_in_the_admin(admin_client):
    # given
    user = staff(username="clerk.lin")

    # when
    response = admin_client.post(
        reverse("admin:identity_user_change", args=[user.pk]),
        {
            "is_active": "on",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": Role.DEPARTMENT_APPROVER,
        },
    )

    # then
    assert response.status_code == 200
    assert "held in one department" in response.content.decode()
    assert RoleAssignment.objects.filter(user=user).count() == 0


def test_tokens_show_their_prefix_and_are_revoked_with_an_action(admin_client):
    # given
    token, plaintext = api_token_issue(actor=platform_admin(), user=machine(), name="kiosk")

    # when
    listed = admin_client.get(reverse("admin:identity_apitoken_changelist"))
    admin_client.post(
        reverse("admin:identity_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    # then
    html = listed.content.decode()
    assert token.prefix in html
    assert token.token_hash not in html
    assert plaintext not in html
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_a_window_clerk_with_admin_access_does_not_see_persons(client):
    # given
    client.force_login(staff(Role.WINDOW_CLERK, admin_site=True))

    # when
    response = client.get(reverse("admin:identity_person_changelist"))

    # then
    assert response.status_code == 403


def test_every_identity_admin_page_opens_for_a_platform_admin(admin_client):
    # given
    person = PersonFactory.create()
    user = staff(Role.WINDOW_CLERK)
    token, _ = api_token_issue(actor=platform_admin(), user=user, name="script")
    pages = [
        reverse("admin:identity_person_change", args=[person.pk]),
        reverse("admin:identity_user_change", args=[user.pk]),
        reverse("admin:identity_user_add"),
        reverse("admin:identity_user_changelist"),
        reverse("admin:identity_enterprise_changelist"),
        reverse("admin:identity_apitoken_change", args=[token.pk]),
    ]

    # when
    statuses = [admin_client.get(page).status_code for page in pages]

    # then
    assert statuses == [200] * len(pages)
