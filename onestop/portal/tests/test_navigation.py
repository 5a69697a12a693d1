import pytest
from django.urls import reverse

from onestop.core.access import Role
from onestop.portal.context_processors import Navigation
from onestop.portal.navigation import ROLE_NAVIGATION, role_anchor
from onestop.portal.tests.staff import citizen_user, staff_user

pytestmark = pytest.mark.django_db


def _nav_for(rf, user, path="/"):
    request = rf.get(path)
    request.user = user
    return Navigation(request)


def test_every_role_has_a_home_entry_first():
    # then
    assert set(ROLE_NAVIGATION) == set(Role)
    for role, entries in ROLE_NAVIGATION.items():
        assert entries[0].target == "portal:staff_home"
        assert entries[0].fragment == role_anchor(role.value)


def test_anonymous_navigation_starts_at_home(rf):
    # given
    from django.contrib.auth.models import AnonymousUser

    # when
    nav = _nav_for(rf, AnonymousUser())

    # then
    assert nav.links[0].url == reverse("portal:home")
    assert nav.links[0].current
    assert nav.role_groups == []


def test_citizen_navigation_is_home_bookings_applications_licences_and_account(rf):
    # given
    user = citizen_user()

    # when
    nav = _nav_for(rf, user)

    # then
    assert [link.url for link in nav.links] == [
        reverse("portal:home"),
        reverse("appointments:book"),
        reverse("appointments:mine"),
        reverse("cases:mine"),
        reverse("licences:wallet"),
        reverse("portal:account"),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_staff_navigation_has_a_group_for_the_role_held(rf, role):
    # given
    user = staff_user(role)

    # when
    nav = _nav_for(rf, user)

    # then
    assert [group.role for group in nav.role_groups] == [role.value]
    group = nav.role_groups[0]
    assert group.label == str(role.label)
    assert group.links[0].url == reverse("portal:staff_home") + "#" + role_anchor(role.value)
    assert reverse("portal:staff_home") in [link.url for link in nav.links]


def test_roles_are_read_in_one_query_per_request(rf, django_assert_num_queries):
    # given
    user = staff_user(Role.DATA_STEWARD, Role.WINDOW_CLERK, Role.GRID_WORKER)
    nav = _nav_for(rf, user)

    # when / then
    with django_assert_num_queries(1):
        groups = nav.groups
        again = _nav_for(rf, user).groups

    assert [group.role for group in groups] == ["", "window_clerk", "grid_worker", "data_steward"]
    assert again == groups


def test_data_steward_gets_the_audit_log(rf):
    # given
    user = staff_user(Role.DATA_STEWARD)

    # when
    urls = [link.url for link in _nav_for(rf, user).links]

    # then
    assert reverse("portal:audit_log") in urls


def test_window_clerk_does_not_get_the_audit_log(rf):
    # given
    user = staff_user(Role.WINDOW_CLERK)

    # when
    urls = [link.url for link in _nav_for(rf, user).links]

    # then
    assert reverse("portal:audit_log") not in urls


def test_admin_site_links_need_admin_site_access(rf):
    # given
    without = staff_user(Role.PLATFORM_ADMIN, username="admin-no-site")
    with_site = staff_user(Role.PLATFORM_ADMIN, username="admin-site", is_staff=True)

    # when
    urls_without = [link.url for link in _nav_for(rf, without).links]
    urls_with = [link.url for link in _nav_for(rf, with_site).links]

    # then
    assert reverse("admin:index") not in urls_without
    assert reverse("admin:index") in urls_with
    assert reverse("portal:audit_log") in urls_without


def test_a_link_shared_by_two_roles_is_listed_once(rf):
    # given
    user = staff_user(Role.DATA_STEWARD, Role.PLATFORM_ADMIN)

    # when
    urls = [link.url for link in _nav_for(rf, user).links]

    # then
    assert urls.count(reverse("portal:audit_log")) == 1


def test_current_page_is_marked(rf):
    # given
    user = staff_user(Role.DATA_STEWARD)

    # when
    nav = _nav_for(rf, user, path=reverse("portal:audit_log"))

    # then
    current = [link.url for link in nav.links if link.current]
    assert current == [reverse("portal:audit_log")]
