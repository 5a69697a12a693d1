"""The admin: a hall manager sees their centre's templates and slots, and lifts a block with a
reason."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from onestop.appointments.models import BookingBlock
from onestop.appointments.services import slot_template_create, slots_generate
from onestop.appointments.tests.conftest import NOW
from onestop.appointments.tests.factories import booking_cancelled
from onestop.centres.models import Centre
from onestop.core.access import Role
from onestop.core.models import AuditEntry
from onestop.identity.services import RoleGrant
from onestop.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(centre, other_centre):
    return StaffFactory.create(
        roles=[RoleGrant(role=Role.HALL_MANAGER, centre_id=centre.pk)], admin_site=True
    )


@pytest.mark.usefixtures("template")
def test_a_hall_manager_sees_only_their_centres_slots(client, admin, manager, centre, other_centre):
    # given slots at both centres
    slot_template_create(
        actor=admin,
        centre_id=other_centre.pk,
        category_code="social",
        weekdays=range(5),
        start=time(9),
        end=time(10),
        length_minutes=60,
        capacity=3,
    )
    slots_generate(today=NOW.date(), days=3)
    client.force_login(manager)

    # when
    slots = client.get(reverse("admin:appointments_slot_changelist"))
    templates = client.get(reverse("admin:appointments_slottemplate_changelist"))

    # then
    assert templates.context["cl"].result_count == 1
    shown = slots.context["cl"].queryset
    assert shown.exists()
    assert set(shown.values_list("centre_id", flat=True)) == {centre.pk}


def manager_centre(manager):
    return Centre.objects.get(pk=manager.roles.get().centre_id)


def test_a_block_is_lifted_from_the_admin_with_a_reason(client, manager, alice):
    block = BookingBlock.objects.create(
        person=alice.person,
        centre=manager_centre(manager),
        starts_at=NOW,
        ends_at=NOW + timedelta(days=30),
        no_shows=3,
    )
    client.force_login(manager)
    url = reverse("admin:appointments_bookingblock_changelist")

    # asking shows the reason form; confirming lifts and audits
    form = client.post(url, {"action": "lift", "_selected_action": [block.pk]})
    assert "These booking blocks will be lifted" in form.content.decode()
    client.post(
        url,
        {"action": "lift", "_selected_action": [block.pk], "apply": "1", "reason": "系统故障误判"},
    )
    block.refresh_from_db()
    assert block.lifted_by == manager
    assert AuditEntry.objects.get(action="appointments.booking_block.lift").reason == "系统故障误判"


def test_a_booking_shows_its_timeline_to_its_centres_manager(client, manager, alice, slot):
    # given a booking made and cancelled
    booking = booking_cancelled(alice, slot, now=NOW)

    # when the centre's manager opens it
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:appointments_booking_change", args=[booking.pk]))

    # then its timeline reads booked, confirmation sent (or not), cancelled, in order
    body = page.content.decode()
    assert page.status_code == 200
    timeline = body[body.index('id="events-group"') :]
    assert timeline.index("Booked") < timeline.index("Cancelled")
    assert list(booking.events.values_list("action", flat=True)) == [
        "create",
        "confirm",
        "cancel",
    ]
