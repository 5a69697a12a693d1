"""The window console shows who is at the window and what they booked, and says where a
converted or transferred ticket went."""

from datetime import date, datetime
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from onestop.appointments.models import Slot
from onestop.appointments.services import booking_create, slot_template_create, slots_generate
from onestop.core.errors import DomainError
from onestop.hall import services
from onestop.hall.models import Ticket
from onestop.hall.tests.factories import at, hall, person
from onestop.identity.tests.factories import citizen, platform_admin

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADULT = date(1990, 5, 1)


@pytest.fixture(autouse=True)
def ten_oclock():
    with time_machine.travel(at(10), tick=False):
        yield


@pytest.fixture
def h():
    return hall()


def _clerk(client, h):
    client.force_login(h.clerks[0])
    client.cookies["django_language"] = "en"
    return client


def test_the_visitor_at_the_window_is_shown_masked(h, client):
    # given
    clerk = _clerk(client, h)
    holder = person(born=ADULT, name="王小明")
    h.open(0, now=at(9))
    h.issue("social", person=holder, now=at(9, 40))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 45))

    # when
    html = clerk.get(reverse("hall:console")).content.decode()

    # then
    assert 'data-name="王**"' in html
    assert f'data-id-number="{holder.id_number_masked}"' in html
    assert "王小明" not in html
    assert "No booking: a walk-in." in html


def test_a_checked_in_booking_shows_its_item_and_time(h, client):
    # given
    clerk = _clerk(client, h)
    slot_template_create(
        actor=platform_admin(),
        centre_id=h.centre.pk,
        category_code="social",
        weekdays=range(7),
        start=clock(9),
        end=clock(12),
        length_minutes=30,
        capacity=2,
    )
    slots_generate(today=date(2026, 11, 30), days=3)
    slot = Slot.objects.get(
        centre=h.centre, starts_at=datetime(2026, 12, 1, 10, 30, tzinfo=SHANGHAI)
    )
    booker = citizen()
    booking = booking_create(
        actor=booker, slot_id=slot.pk, now=datetime(2026, 11, 30, 10, tzinfo=SHANGHAI)
    )
    kiosk = client.__class__()
    kiosk.force_login(h.kiosk)
    kiosk.post(reverse("hall:kiosk_appointment"), {"code": booking.code})
    h.open(0, now=at(9))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(10))

    # when
    html = clerk.get(reverse("hall:console")).content.decode()

    # then
    assert 'data-booked-time="10:30"' in html
    assert booking.code in html
    assert booker.person is not None
    assert booker.person.id_number_masked in html


def test_a_conversion_says_where_the_ticket_waits_and_the_window_lists_it(h, client):
    # given: window 1 serves social affairs' consultations only
    clerk = _clerk(client, h)
    consultations = services.profile_save(
        actor=h.manager, centre_id=h.centre.pk, name="咨询", queues=[("social", "consultation")]
    )
    services.window_open(
        actor=h.clerks[0], window_id=h.windows[0].pk, profile_id=consultations.pk, now=at(9)
    )
    ticket = h.issue("social", "consultation", now=at(9, 40))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 45))

    # when
    converted = clerk.post(
        reverse("hall:console_ticket", args=[ticket.pk, "convert"]),
        {"to_kind": "acceptance", "keep": "on"},
        follow=True,
    )

    # then
    html = converted.content.decode()
    successor = Ticket.objects.get(parent=ticket)
    assert successor.state == "waiting"
    assert "C001 is now a" in html and "waits in that queue" in html
    assert 'id="sent-title"' in html
    assert 'data-queue="social/acceptance"' in html
    # The message is shown once.
    assert "C001 is now a" not in clerk.get(reverse("hall:console")).content.decode()


def test_a_transfer_kept_at_the_window_says_so(h, client):
    # given
    clerk = _clerk(client, h)
    h.open(0, "all", now=at(9))
    ticket = h.issue("social", now=at(9, 40))
    services.ticket_call_next(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 45))

    # when
    moved = clerk.post(
        reverse("hall:console_ticket", args=[ticket.pk, "transfer"]),
        {"to_category": "business", "keep": "on"},
        follow=True,
    )

    # then
    html = moved.content.decode()
    assert "was transferred to" in html and "stays at this window" in html
    assert Ticket.objects.get(parent=ticket).state == "called"


def test_the_quiet_buttons_are_not_white_on_white(h, client):
    # given
    clerk = _clerk(client, h)
    h.open(0, now=at(9))

    # when
    html = clerk.get(reverse("hall:console")).content.decode()

    # then
    console = html.split('id="console-live"')[1]
    assert "button--quiet" not in console
    assert 'class="button console__plain" data-action="close"' in html


def test_the_console_names_the_profile_and_the_queues_in_the_readers_language(h, client):
    # given: a profile with an English name, and a waiting social-affairs ticket
    profile = services.profile_save(
        actor=h.manager,
        centre_id=h.centre.pk,
        name="社会事务咨询",
        name_i18n={"en": "Social affairs questions"},
        queues=[("social", "consultation")],
    )
    services.window_open(
        actor=h.clerks[0], window_id=h.windows[0].pk, profile_id=profile.pk, now=at(9)
    )
    h.issue("social", "consultation", now=at(9, 40))

    # when
    english = _clerk(client, h).get(reverse("hall:console")).content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("hall:console")).content.decode()

    # then
    assert "Social affairs questions" in english and "社会事务咨询" not in english
    assert "Social affairs ·" in english and "社会事务类" not in english
    assert "社会事务咨询" in chinese and "社会事务类" in chinese


def test_a_profile_name_in_an_unknown_language_is_refused_and_changes_nothing(h):
    # given
    before = list(h.centre.work_profiles.values_list("name", "name_i18n"))

    # when
    with pytest.raises(DomainError) as refused:
        services.profile_save(
            actor=h.manager,
            centre_id=h.centre.pk,
            name="新窗口",
            name_i18n={"fr": "Guichet"},
            queues=[("social", "consultation")],
        )

    # then
    assert "fr" in refused.value.message
    assert list(h.centre.work_profiles.values_list("name", "name_i18n")) == before
