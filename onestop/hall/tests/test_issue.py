"""Taking a number: series per prefix, appointments, priority, and every refusal."""

from datetime import date

import pytest

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.hall import services
from onestop.hall.models import NumberSeries, Ticket, TicketEvent
from onestop.hall.tests.factories import DAY, at, centre, hall, person, staff_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return hall()


def _nothing_issued():
    return Ticket.objects.count() == 0 and TicketEvent.objects.count() == 0


def test_each_prefix_has_its_own_series_per_day(h):
    # when
    tickets = [
        h.issue("social"),
        h.issue("social"),
        h.issue("business"),
        h.issue("social", "consultation"),
        h.issue("business", "consultation"),
        h.issue("social", "pickup"),
    ]

    # then
    assert [t.display for t in tickets] == ["F001", "F002", "B001", "C001", "C002", "P001"]
    assert {t.service_day for t in tickets} == {DAY}
    assert all(t.state == "waiting" and t.source == "walk_in" for t in tickets)
    assert TicketEvent.objects.filter(action="issued").count() == 6


def test_numbers_start_again_the_next_day(h):
    h.issue("social")
    tomorrow = h.issue("social", now=at(9).replace(day=2))
    assert tomorrow.display == "F001"
    assert tomorrow.service_day == date(2026, 12, 2)


def test_a_centre_may_set_its_own_prefix(h):
    services.prefix_set(
        actor=h.manager, centre_id=h.centre.pk, category="social", kind="acceptance", prefix="s"
    )
    assert h.issue("social").display == "S001"


def test_an_identified_person_of_70_gets_elderly_priority(h):
    elder = person(born=date(1955, 1, 1))
    assert h.issue("social", person=elder).priority == "elderly"
    assert h.issue("social", priority="disabled").priority == "disabled"


def test_an_appointment_joins_the_line_at_its_slot(h):
    # given a 10:00 slot
    early = h.issue(
        "social", source="appointment", queue_at=at(10), booking_ref="BK1", now=at(9, 30)
    )
    late = h.issue("social", source="appointment", queue_at=at(9), now=at(9, 30))

    # then the early one waits for its slot; the late one is a walk-in from its arrival
    assert (early.queue_at, early.arrived_at) == (at(10), at(9, 30))
    assert late.queue_at == at(9, 30)
    assert "late" in late.events.get().reason


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"category": "trade"}, "category_not_offered"),
        ({"category": "no-such"}, "unknown_category"),
        ({"kind": "express"}, "unknown_kind"),
        ({"source": "converted"}, "unknown_source"),
        ({"priority": "vip"}, "unknown_priority"),
        ({"source": "appointment"}, "invalid_ticket"),
        ({"source": "appointment", "queue_at": at(11)}, "checkin_too_early"),
        ({"notify_at_position": 3}, "notify_needs_phone"),
        ({"notify_at_position": 0}, "invalid_ticket"),
        ({"now": at(7, 59)}, "centre_closed"),
        ({"now": at(9).replace(day=1, month=10)}, "centre_closed"),  # National Day
    ],
)
def test_a_bad_request_gets_a_clear_code_and_issues_nothing(h, options, code):
    request = {"category": "social", "kind": "acceptance", "now": at(9), **options}
    with pytest.raises(DomainError) as raised:
        services.ticket_issue(actor=h.kiosk, centre_id=h.centre.pk, **request)
    assert raised.value.code == code
    assert _nothing_issued()
    assert NumberSeries.objects.filter(last_number__gt=0).count() == 0


def test_only_the_centres_own_devices_and_staff_issue(h):
    other = centre()
    stranger = staff_at(other, Role.HALL_DEVICE)
    with pytest.raises(DomainError) as raised:
        services.ticket_issue(
            actor=stranger, centre_id=h.centre.pk, category="social", kind="acceptance", now=at(9)
        )
    assert raised.value.code == "not_allowed"
    with pytest.raises(DomainError):
        services.ticket_issue(
            actor=None,  # type: ignore[arg-type]
            centre_id=h.centre.pk,
            category="social",
            kind="acceptance",
            now=at(9),
        )
    assert _nothing_issued()


def test_lateness_follows_the_check_in_window_appointments_keeps(h, settings):
    # given appointments' check-in window: on time until 45 minutes after the slot's start
    settings.ONESTOP_BOOKING_CHECKIN_LATE_MINUTES = 45

    # when two 9:00 appointments check in at 9:40 and 9:46
    on_time = h.issue("social", source="appointment", queue_at=at(9), now=at(9, 40))
    late = h.issue("social", source="appointment", queue_at=at(9), now=at(9, 46))

    # then the first joins at its slot, the second as a walk-in from its arrival
    assert (on_time.queue_at, late.queue_at) == (at(9), at(9, 46))
    assert (on_time.source, late.source) == ("appointment", "walk_in")
    detail = on_time.events.get().detail
    assert detail["slot_start"] == at(9).isoformat()


def test_the_estimate_shown_at_issue_is_kept_for_the_statistics(h):
    h.open(0, now=at(8))
    h.issue("social", now=at(9))
    second = h.issued("social", now=at(9, 1))
    estimate = second.ticket.events.get().detail["estimate"]
    assert estimate["ahead"] == 1
    assert second.estimate.optimistic_minutes is not None
    assert estimate["optimistic_s"] == second.estimate.optimistic_minutes * 60
    assert estimate["pessimistic_s"] >= estimate["optimistic_s"]
