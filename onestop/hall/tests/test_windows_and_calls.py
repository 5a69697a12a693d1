"""Windows and calls through the services: who may call where, the timeline, and refusals
that change nothing."""

from datetime import date

import pytest

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.hall import services
from onestop.hall.models import Ticket, TicketEvent, Window
from onestop.hall.tests.factories import at, hall, staff_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return hall()


def _code(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def test_a_clerk_signs_in_pauses_resumes_and_signs_out(h):
    # when
    window = h.open(0)
    services.window_pause(actor=h.clerks[0], window_id=window.pk, now=at(10))
    services.window_resume(actor=h.clerks[0], window_id=window.pk, now=at(10, 5))
    services.window_close(actor=h.clerks[0], window_id=window.pk, now=at(12))

    # then
    window.refresh_from_db()
    assert (window.state, window.clerk, window.profile) == ("closed", None, None)
    assert list(
        AuditEntry.objects.filter(object_type="hall.window", object_id=str(window.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "hall.window.create",
        "hall.window.open",
        "hall.window.pause",
        "hall.window.resume",
        "hall.window.close",
    ]


def test_signing_in_is_refused_where_it_makes_no_sense(h):
    h.open(0)
    # Someone else's window; a second window for the same clerk; a profile of another queue.
    assert (
        _code(
            lambda: services.window_open(
                actor=h.clerks[1], window_id=h.windows[0].pk, profile_id=h.profiles["social"].pk
            )
        )
        == "window_taken"
    )
    assert (
        _code(
            lambda: services.window_open(
                actor=h.clerks[0], window_id=h.windows[1].pk, profile_id=h.profiles["social"].pk
            )
        )
        == "clerk_elsewhere"
    )
    outsider = staff_at(h.centre, Role.HALL_DEVICE)
    assert (
        _code(
            lambda: services.window_open(
                actor=outsider, window_id=h.windows[1].pk, profile_id=h.profiles["social"].pk
            )
        )
        == "not_allowed"
    )
    assert Window.objects.get(pk=h.windows[1].pk).state == "closed"


def test_a_call_takes_the_first_in_line_and_records_why(h):
    # given
    first, second = h.issue(now=at(9)), h.issue(now=at(9, 1))
    h.open(0)

    # when
    called = h.call(0)

    # then
    assert called.pk == first.pk
    assert (called.state, called.window_id, called.clerk_id, called.call_count) == (
        "called",
        h.windows[0].pk,
        h.clerks[0].pk,
        1,
    )
    event = TicketEvent.objects.get(ticket=called, action="called")
    assert (event.from_state, event.to_state, event.window_id) == (
        "waiting",
        "called",
        h.windows[0].pk,
    )
    assert [r["code"] for r in event.detail["why"]] == ["profile_order", "first_in_line"]
    assert Ticket.objects.get(pk=second.pk).state == "waiting"


def test_a_window_with_nobody_to_serve_calls_nobody(h):
    h.issue("business")
    h.open(0, profile="social")
    assert h.called(0) is None
    assert TicketEvent.objects.filter(action="called").count() == 0


def test_calling_is_refused_at_a_closed_or_paused_window_or_by_another_clerk(h):
    # given
    ticket = h.issue()

    # then: a closed window
    assert _code(lambda: h.call(0)) == "not_at_window"
    # a paused window
    h.open(0)
    services.window_pause(actor=h.clerks[0], window_id=h.windows[0].pk, now=at(9, 10))
    assert _code(lambda: h.call(0)) == "window_not_open"
    # another clerk at this window
    assert (
        _code(
            lambda: services.ticket_call_next(
                actor=h.clerks[1], window_id=h.windows[0].pk, now=at(9, 30)
            )
        )
        == "not_at_window"
    )
    # and nothing changed
    assert Ticket.objects.get(pk=ticket.pk).state == "waiting"
    assert TicketEvent.objects.filter(action="called").count() == 0


def test_a_window_calls_the_next_only_when_its_ticket_has_left(h):
    h.issue(), h.issue()
    h.open(0)
    h.call(0)
    assert _code(lambda: h.call(0, now=at(9, 31))) == "window_busy"


def test_a_ticket_goes_through_the_window_and_every_change_is_recorded(h):
    # given
    h.issue(now=at(9))
    h.open(0)

    # when
    ticket = h.call(0, now=at(9, 30))
    services.ticket_start(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 31))
    done = services.ticket_finish(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 45))

    # then
    assert (done.state, done.started_at, done.finished_at) == ("done", at(9, 31), at(9, 45))
    assert list(ticket.events.values_list("action", "from_state", "to_state")) == [
        ("issued", "", "waiting"),
        ("called", "waiting", "called"),
        ("started", "called", "serving"),
        ("finished", "serving", "done"),
    ]


def test_recalls_are_spaced_limited_and_the_first_miss_is_texted(h):
    # given a called ticket of a person with a phone
    from onestop.hall.tests.factories import person
    from onestop.notifications.models import OutboxMessage

    h.issue(person=person(born=date(1990, 1, 1), phone="13900001111"), now=at(9))
    h.open(0)
    ticket = h.call(0, now=at(9, 30))
    clerk = h.clerks[0]

    # then
    assert (
        _code(lambda: services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=at(9, 30, 10)))
        == "recall_too_soon"
    )
    for minute in (31, 32, 33):
        services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=at(9, minute))
    assert (
        _code(lambda: services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=at(9, 40)))
        == "recall_limit"
    )
    assert Ticket.objects.get(pk=ticket.pk).call_count == 4
    sms = OutboxMessage.objects.get(template="queue_missed")
    assert sms.context == {"centre": h.centre.name, "ticket": "F001", "window": "1"}


def test_a_no_show_comes_after_a_recall_and_can_be_reinstated_in_its_place(h):
    # given
    first = h.issue(now=at(9))
    later = h.issue(now=at(9, 5))
    h.open(0)
    clerk = h.clerks[0]
    ticket = h.call(0, now=at(9, 30))
    assert ticket.pk == first.pk

    # then a no-show needs a recall first
    assert (
        _code(lambda: services.ticket_no_show(actor=clerk, ticket_id=ticket.pk, now=at(9, 35)))
        == "no_show_too_soon"
    )
    services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=at(9, 31))
    gone = services.ticket_no_show(actor=clerk, ticket_id=ticket.pk, now=at(9, 32))
    assert gone.state == "no_show"

    # when the person comes back, they are in line before the later arrival
    services.ticket_reinstate(
        actor=h.clerks[1], ticket_id=ticket.pk, reason="came back", now=at(9, 40)
    )
    assert h.call(0, now=at(9, 41)).pk == first.pk
    assert Ticket.objects.get(pk=later.pk).state == "waiting"


def test_a_no_show_is_reinstated_only_on_its_own_day(h):
    ticket = h.issue(now=at(9))
    h.open(0)
    h.call(0, now=at(9, 30))
    services.ticket_recall(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 31))
    services.ticket_no_show(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 32))
    tomorrow = at(9).replace(day=2)
    assert (
        _code(
            lambda: services.ticket_reinstate(actor=h.clerks[0], ticket_id=ticket.pk, now=tomorrow)
        )
        == "not_same_day"
    )


def test_only_the_clerk_at_the_tickets_window_serves_it(h):
    h.issue()
    h.open(0)
    ticket = h.call(0)
    assert (
        _code(lambda: services.ticket_start(actor=h.clerks[1], ticket_id=ticket.pk))
        == "not_at_window"
    )
    assert (
        _code(lambda: services.ticket_finish(actor=h.clerks[0], ticket_id=ticket.pk))
        == "illegal_transition"
    )
    assert Ticket.objects.get(pk=ticket.pk).state == "called"


def test_a_clerk_of_another_centre_does_not_find_the_ticket(h):
    other = hall()
    ticket = h.issue()
    assert (
        _code(lambda: services.ticket_cancel(actor=other.clerks[0], ticket_id=ticket.pk))
        == "ticket_not_found"
    )


def test_a_window_cannot_close_while_a_ticket_is_at_it(h):
    h.issue()
    h.open(0)
    h.call(0)
    assert (
        _code(lambda: services.window_close(actor=h.clerks[0], window_id=h.windows[0].pk))
        == "window_busy"
    )
