import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from onestop.core.models import AuditEntry
from onestop.notifications.enums import OutboxStatus
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_deliver_due
from onestop.notifications.tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_outboxmessage_changelist")


@pytest.fixture
def admin_client_root(client, platform_admin):
    client.force_login(platform_admin)
    return client


def test_the_list_shows_masked_recipients_only(admin_client_root, enqueue_sms):
    # given
    enqueue_sms()

    # when
    response = admin_client_root.get(CHANGELIST)

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "138****1234" in page
    assert "13812341234" not in page


def test_a_phone_number_finds_its_messages_through_the_blind_index(admin_client_root, enqueue_sms):
    # given
    wanted = enqueue_sms(phone="13812341234")
    enqueue_sms(phone="13900001111")

    # when
    response = admin_client_root.get(CHANGELIST, {"q": "138 1234 1234"})

    # then
    assert [m.pk for m in response.context["cl"].result_list] == [wanted.pk]


def test_the_detail_page_hides_a_one_time_code(admin_client_root, enqueue_sms):
    message = enqueue_sms()
    response = admin_client_root.get(
        reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    )
    assert response.status_code == 200
    assert "482913" not in response.content.decode()


def test_the_retry_action_requeues_dead_messages(admin_client_root, memory_sms, enqueue_sms):
    # given
    dead = enqueue_sms()
    memory_sms.memory_fail_next(1, permanent=True)
    outbox_deliver_due()
    pending = enqueue_sms()

    # when
    response = admin_client_root.post(
        CHANGELIST,
        {"action": "retry", "_selected_action": [dead.pk, pending.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert response.status_code == 200
    assert OutboxMessage.objects.get(pk=dead.pk).status == OutboxStatus.PENDING
    assert AuditEntry.objects.filter(action="notifications.outbox.retry").count() == 1
    texts = [str(m) for m in response.context["messages"]]
    assert "1 message requeued." in texts
    assert any("Only a dead message" in text for text in texts)


def test_staff_without_the_permission_see_no_retry_action(client, enqueue_sms):
    # given
    clerk = factories.staff_with_admin_site()
    clerk.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(clerk)
    enqueue_sms()

    # when
    response = client.get(CHANGELIST)

    # then
    assert response.status_code == 200
    assert "retry" not in response.context["cl"].model_admin.get_actions(response.wsgi_request)
