import re

import pytest
from django.urls import reverse

from onestop.core.access import Role
from onestop.portal.navigation import ROLE_DUTIES
from onestop.portal.tests.staff import (
    CENTRE_ID,
    CITIZEN_NAME,
    CITIZEN_PHONE,
    DEPARTMENT_NAME,
    GRID_ID,
    REGION_NAME,
    citizen_user,
    staff_user,
)

pytestmark = pytest.mark.django_db


def test_home_is_public(client):
    # when
    response = client.get(reverse("portal:home"))

    # then
    assert response.status_code == 200
    assert b"<h1>Online service hall</h1>" in response.content


def test_home_searches_the_catalog_and_links_to_browsing_and_booking(client):
    # when
    body = client.get(reverse("portal:home")).content.decode()

    # then
    assert f'action="{reverse("search:results")}"' in body
    assert f'href="{reverse("catalog:index")}"' in body
    assert f'href="{reverse("appointments:book")}"' in body


def test_home_shows_the_roles_quick_links_when_signed_in(client):
    # given
    client.force_login(staff_user(Role.DATA_STEWARD))

    # when
    body = client.get(reverse("portal:home")).content.decode()

    # then
    assert "Your quick links" in body
    assert f'href="{reverse("portal:audit_log")}"' in body


def test_healthz_is_public_plain_text(client):
    # when
    response = client.get(reverse("portal:healthz"))

    # then
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_favicon_is_public_at_the_address_browsers_ask_for(client):
    # when
    response = client.get("/favicon.ico", follow=True)

    # then
    assert response.redirect_chain[0][1] == 301
    assert response.redirect_chain[-1][0].endswith("favicon.svg")
    assert response.status_code == 200


def test_staff_home_sends_anonymous_users_to_sign_in(client):
    # when
    response = client.get(reverse("portal:staff_home"))

    # then
    assert response.status_code == 302
    assert "next=/staff/" in response["Location"]


def test_staff_home_refuses_citizens(client):
    # given
    client.force_login(citizen_user())

    # when
    response = client.get(reverse("portal:staff_home"))

    # then
    assert response.status_code == 403
    assert b"You are not allowed to open this page" in response.content


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.WINDOW_CLERK, f"Service centre #{CENTRE_ID}"),
        (Role.HALL_MANAGER, f"Service centre #{CENTRE_ID}"),
        (Role.DEPARTMENT_APPROVER, DEPARTMENT_NAME),
        (Role.HOTLINE_AGENT, REGION_NAME),
        (Role.DISPATCHER, REGION_NAME),
        (Role.DEPARTMENT_HANDLER, DEPARTMENT_NAME),
        (Role.GRID_WORKER, f"Grid #{GRID_ID}"),
        (Role.GRID_MANAGER, REGION_NAME),
        (Role.DATA_STEWARD, DEPARTMENT_NAME),
        (Role.PLATFORM_ADMIN, REGION_NAME),
    ],
)
def test_staff_home_shows_a_panel_with_scope_and_duties(client, role, scope):
    # given
    client.force_login(staff_user(role))

    # when
    body = client.get(reverse("portal:staff_home")).content.decode()

    # then
    assert f'id="role-{role.value}"' in body
    assert f"{role.label} · {scope}" in body
    assert str(ROLE_DUTIES[role]).replace("'", "&#x27;") in body


def test_staff_home_lists_every_scope_of_a_role_held_twice(client):
    # given
    user = staff_user(Role.WINDOW_CLERK)
    user.roles.create(role=Role.WINDOW_CLERK, centre_id=99)
    client.force_login(user)

    # when
    body = client.get(reverse("portal:staff_home")).content.decode()

    # then
    assert body.count('id="role-window_clerk"') == 1
    assert f"Service centre #{CENTRE_ID}" in body
    assert "Service centre #99" in body


def test_staff_home_offers_the_platform_admin_its_tools(client):
    # given
    client.force_login(staff_user(Role.PLATFORM_ADMIN, is_staff=True))

    # when
    body = client.get(reverse("portal:staff_home")).content.decode()

    # then
    panel = body.split('id="role-platform_admin"')[1]
    assert f'href="{reverse("admin:index")}"' in panel
    assert f'href="{reverse("portal:audit_log")}"' in panel


def test_staff_home_without_roles_says_so(client):
    # given
    client.force_login(staff_user())

    # when
    body = client.get(reverse("portal:staff_home")).content.decode()

    # then
    assert "Your account holds no role yet" in body


def test_staff_home_queries_do_not_grow_with_roles(client, django_assert_num_queries):
    # given: every role a member of staff may hold (a hall device's is a device's own)
    staff_roles = [role for role in Role if role != Role.HALL_DEVICE]
    client.force_login(staff_user(*staff_roles, is_staff=True))

    # when / then: session, user, role assignments with their department and region, and
    # the names of the centres they are scoped to
    with django_assert_num_queries(4):
        response = client.get(reverse("portal:staff_home"))

    panels = re.findall(r'<section class="panel"', response.content.decode())
    assert len(panels) == len(staff_roles)


def test_account_page_shows_a_citizen_their_account(client):
    # given
    client.force_login(citizen_user())

    # when
    body = client.get(reverse("portal:account")).content.decode()

    # then
    assert CITIZEN_NAME in body
    assert "Citizen" in body
    assert CITIZEN_PHONE[-4:] in body
    assert CITIZEN_PHONE not in body
