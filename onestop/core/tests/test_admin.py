import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from onestop.core.departments import departments_load
from onestop.core.models import AuditEntry, CalendarOverride, Region
from onestop.core.regions import regions_load
from onestop.identity.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("root", PASSWORD)


@pytest.fixture
def signed_in(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


@pytest.fixture
def reference_data() -> None:
    regions_load()
    departments_load()


def test_region_list_searches_and_filters_by_level(signed_in, reference_data):
    # when
    searched = signed_in.get("/admin/core/region/", {"q": "天河南"})
    districts = signed_in.get("/admin/core/region/", {"level__exact": "2"})
    flagged = signed_in.get("/admin/core/region/", {"is_administrative__exact": "0"})

    # then
    assert searched.status_code == 200
    assert "天河南街道" in searched.text
    assert "沙面街道" not in searched.text
    assert "荔湾区" in districts.text
    assert "沙面街道" not in districts.text
    assert "黄龙带水库" in flagged.text
    assert "天河区" not in flagged.text


def test_region_search_by_code_prefix_finds_the_subtree(signed_in, reference_data):
    # when
    response = signed_in.get("/admin/core/region/", {"q": "440103001"})

    # then
    assert "沙面街道" in response.text
    assert "翠洲社区居民委员会" in response.text
    assert "岭南街道" not in response.text


def test_regions_cannot_be_added_or_changed_in_the_admin(signed_in, reference_data):
    # given
    shamian = Region.objects.get(code="440103001")

    # when
    add = signed_in.get("/admin/core/region/add/")
    view = signed_in.get(f"/admin/core/region/{shamian.pk}/change/")
    post = signed_in.post(f"/admin/core/region/{shamian.pk}/change/", {"name": "改名"})

    # then
    assert add.status_code == 403
    assert view.status_code == 200
    assert 'name="_save"' not in view.text
    assert post.status_code == 403
    shamian.refresh_from_db()
    assert shamian.name == "沙面街道"


def test_department_list_filters_by_region_level(signed_in, reference_data):
    # when
    bureaus = signed_in.get("/admin/core/department/", {"region__level__exact": "2", "q": "公安"})
    city = signed_in.get("/admin/core/department/", {"region__level__exact": "1"})

    # then
    assert bureaus.status_code == 200
    assert "广州市公安局天河区分局" in bureaus.text
    assert "广州海关" not in bureaus.text
    assert "广州海关" in city.text
    assert "广州市公安局天河区分局" not in city.text


def test_adding_a_calendar_override_goes_through_the_audited_service(signed_in):
    # given
    entries_before = AuditEntry.objects.count()

    # when
    response = signed_in.post(
        "/admin/core/calendaroverride/add/",
        {
            "date": "2027-01-01",
            "is_working_day": "",
            "name": "元旦",
            "source": "国务院办公厅通知",
            "reason": "the 2027 holidays were announced",
        },
    )

    # then
    assert response.status_code == 302
    override = CalendarOverride.objects.get(date=datetime.date(2027, 1, 1))
    assert (override.is_working_day, override.name) == (False, "元旦")
    entry = AuditEntry.objects.order_by("-seq")[0]
    assert AuditEntry.objects.count() == entries_before + 1
    assert (entry.action, entry.actor_label) == ("calendar_override.set", "staff:root")
    assert entry.reason == "the 2027 holidays were announced"


def test_changing_and_deleting_an_override_are_audited(signed_in):
    # given
    signed_in.post(
        "/admin/core/calendaroverride/add/",
        {"date": "2027-02-06", "is_working_day": "on", "name": "调休上班", "source": ""},
    )
    override = CalendarOverride.objects.get(date=datetime.date(2027, 2, 6))
    entries_before = AuditEntry.objects.count()

    # when
    changed = signed_in.post(
        f"/admin/core/calendaroverride/{override.pk}/change/",
        {"is_working_day": "", "name": "春节", "source": "", "reason": "corrected"},
    )
    override.refresh_from_db()
    deleted = signed_in.post(f"/admin/core/calendaroverride/{override.pk}/delete/", {"post": "yes"})

    # then
    assert changed.status_code == 302
    assert (override.is_working_day, override.name) == (False, "春节")
    assert deleted.status_code == 302
    assert not CalendarOverride.objects.filter(date=datetime.date(2027, 2, 6)).exists()
    actions = AuditEntry.objects.order_by("seq").values_list("action", flat=True)
    assert list(actions)[entries_before:] == ["calendar_override.set", "calendar_override.remove"]


def test_staff_who_are_not_platform_admins_may_only_look_at_the_calendar(client):
    # given
    clerk = User.objects.create_user("clerk", PASSWORD, is_staff=True, kind="staff")
    clerk.user_permissions.add(*Permission.objects.filter(codename__endswith="calendaroverride"))
    client.force_login(clerk)

    # when
    listed = client.get("/admin/core/calendaroverride/")
    add = client.post("/admin/core/calendaroverride/add/", {"date": "2027-01-01", "name": "x"})

    # then
    assert listed.status_code == 200
    assert add.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_audit_log_is_listed_filtered_and_searched_but_never_edited(signed_in, reference_data):
    # given
    entry = AuditEntry.objects.get(action="departments.load")

    # when
    listed = signed_in.get("/admin/core/auditentry/", {"action__exact": "regions.load"})
    searched = signed_in.get("/admin/core/auditentry/", {"q": "system"})
    add = signed_in.get("/admin/core/auditentry/add/")
    view = signed_in.get(f"/admin/core/auditentry/{entry.pk}/change/")
    edit = signed_in.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"})
    delete = signed_in.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})

    # then
    assert listed.status_code == 200
    assert "regions.load" in listed.text
    assert "departments.load</td>" not in listed.text
    assert searched.status_code == 200
    assert add.status_code == 403
    assert view.status_code == 200
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, action="departments.load").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    # when
    response = client.get("/admin/core/region/")

    # then
    assert response.status_code == 302
    assert "login" in response["Location"]
