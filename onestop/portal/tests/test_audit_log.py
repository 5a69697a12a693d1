import pytest
from django.db import transaction
from django.urls import reverse

from onestop.core.access import Role
from onestop.core.audit import audit_record
from onestop.portal.tests.staff import citizen_user, staff_user
from onestop.portal.views import AUDIT_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _record(n, action="demo.thing_change", object_id="1"):
    with transaction.atomic():
        for i in range(n):
            audit_record(
                actor=None,
                action=action,
                object_type="demo.thing",
                object_id=object_id,
                after={"n": i},
                reason=f"reason {i}",
            )


WITHOUT_AUDIT_LOG = [role for role in Role if role not in (Role.DATA_STEWARD, Role.PLATFORM_ADMIN)]


@pytest.mark.parametrize("role", WITHOUT_AUDIT_LOG)
def test_audit_log_refuses_roles_without_it(client, role):
    # given
    client.force_login(staff_user(role))

    # when
    response = client.get(reverse("portal:audit_log"))

    # then
    assert response.status_code == 403


def test_audit_log_refuses_citizens(client):
    # given
    client.force_login(citizen_user())

    # when
    response = client.get(reverse("portal:audit_log"))

    # then
    assert response.status_code == 403


def test_audit_log_refuses_staff_without_a_role(client):
    # given
    client.force_login(staff_user(username="nobody", is_staff=True))

    # when
    response = client.get(reverse("portal:audit_log"))

    # then
    assert response.status_code == 403


def test_audit_log_opens_for_a_superuser_as_for_a_platform_admin(client):
    # given: identity.policies counts superusers as platform admins
    user = staff_user(username="superuser", is_staff=True)
    user.is_superuser = True
    user.save()
    client.force_login(user)

    # when
    response = client.get(reverse("portal:audit_log"))

    # then
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.DATA_STEWARD, Role.PLATFORM_ADMIN])
def test_audit_log_opens_for_stewards_and_admins(client, role):
    # given
    _record(1)
    client.force_login(staff_user(role))

    # when
    response = client.get(reverse("portal:audit_log"))

    # then
    assert response.status_code == 200
    assert b"demo.thing_change" in response.content
    assert b"reason 0" in response.content


def test_audit_log_filters_by_action_prefix_and_object(client):
    # given
    _record(2, action="demo.thing_change", object_id="1")
    _record(1, action="demo.thing_change", object_id="2")
    _record(1, action="other.event", object_id="1")
    client.force_login(staff_user(Role.DATA_STEWARD))

    # when
    response = client.get(
        reverse("portal:audit_log"),
        {"action": "demo.", "object_type": "demo.thing", "object_id": "1"},
    )

    # then
    assert response.context["page"].paginator.count == 2
    assert all(row["entry"].object_id == "1" for row in response.context["rows"])
    assert all(row["entry"].action == "demo.thing_change" for row in response.context["rows"])


def test_audit_log_pages_newest_first(client, django_assert_num_queries):
    # given
    _record(AUDIT_PAGE_SIZE + 3)
    client.force_login(staff_user(Role.PLATFORM_ADMIN))

    # when: session, user, roles, count, page
    with django_assert_num_queries(5):
        first = client.get(reverse("portal:audit_log"), {"action": "demo."})
    second = client.get(reverse("portal:audit_log"), {"action": "demo.", "page": 2})

    # then
    first_seqs = [row["entry"].seq for row in first.context["rows"]]
    second_seqs = [row["entry"].seq for row in second.context["rows"]]
    assert len(first_seqs) == AUDIT_PAGE_SIZE
    assert len(second_seqs) == 3
    assert first_seqs == sorted(first_seqs, reverse=True)
    assert min(first_seqs) > max(second_seqs)
    assert b'rel="next"' in first.content


def test_audit_selector_refuses_an_actor_without_the_role():
    # given
    from onestop.core.errors import PermissionDenied
    from onestop.portal.selectors import audit_entry_list

    clerk = staff_user(Role.WINDOW_CLERK)

    # when / then
    with pytest.raises(PermissionDenied):
        audit_entry_list(actor=clerk)


def test_audit_log_shows_each_entrys_stream_newest_first_and_filters_by_stream(client):
    # given: two streams, each numbering its own entries from 1
    client.force_login(staff_user(Role.DATA_STEWARD))
    _record(2)
    with transaction.atomic():
        audit_record(actor=None, action="window.open", object_type="hall.window", object_id="5")

    # when
    response = client.get(reverse("portal:audit_log"))
    by_stream = client.get(reverse("portal:audit_log"), {"stream": "demo"})

    # then
    rows = [(row["entry"].stream, row["entry"].seq) for row in response.context["rows"]]
    assert rows[:3] == [("hall", 1), ("demo", 2), ("demo", 1)]
    assert b'<a href="?stream=hall">hall</a>' in response.content
    assert [(row["entry"].stream, row["entry"].seq) for row in by_stream.context["rows"]] == [
        ("demo", 2),
        ("demo", 1),
    ]
