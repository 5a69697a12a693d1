"""Conversion and transfer: the person keeps their number, arrival and place in line."""

import pytest

from onestop.core.errors import DomainError
from onestop.hall import services
from onestop.hall.models import Ticket, TicketEvent
from onestop.hall.tests.factories import at, hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return hall()


def _code(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def _serving_consultation(h):
    h.issue("social", "consultation", now=at(9))
    h.open(0, profile="social")
    ticket = h.call(0, now=at(9, 30))
    return services.ticket_start(actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 31))


def test_a_consultation_becomes_an_acceptance_ahead_of_later_arrivals(h):
    # given a consultation being served, and an acceptance ticket taken after it
    consulting = _serving_consultation(h)
    later = h.issue("social", "acceptance", now=at(9, 10))

    # when the clerk converts it
    successor = services.ticket_convert(
        actor=h.clerks[0], ticket_id=consulting.pk, to_kind="acceptance", now=at(9, 40)
    )

    # then it keeps its number, token, arrival and place, and goes back in line
    consulting.refresh_from_db()
    assert (consulting.state, consulting.finished_at) == ("converted", at(9, 40))
    assert (successor.kind, successor.source, successor.state) == (
        "acceptance",
        "converted",
        "waiting",
    )
    assert (successor.display, successor.public_token, successor.parent_id) == (
        "C001",
        consulting.public_token,
        consulting.pk,
    )
    assert (successor.arrived_at, successor.queue_at) == (at(9), at(9))
    # and the clerk's window, free again, calls it before the later arrival
    assert h.call(0, now=at(9, 41)).pk == successor.pk
    assert Ticket.objects.get(pk=later.pk).state == "waiting"


def test_a_converted_ticket_can_stay_at_the_clerks_window(h):
    consulting = _serving_consultation(h)
    successor = services.ticket_convert(
        actor=h.clerks[0], ticket_id=consulting.pk, to_kind="acceptance", keep=True, now=at(9, 40)
    )
    assert (successor.state, successor.window_id) == ("serving", h.windows[0].pk)
    done = services.ticket_finish(actor=h.clerks[0], ticket_id=successor.pk, now=at(9, 50))
    assert list(
        TicketEvent.objects.filter(ticket__public_token=done.public_token)
        .order_by("id")
        .values_list("action", "to_state")
    ) == [
        ("issued", "waiting"),
        ("called", "called"),
        ("started", "serving"),
        ("converted", "converted"),
        ("issued", "waiting"),
        ("called", "called"),
        ("started", "serving"),
        ("finished", "done"),
    ]


def test_a_waiting_ticket_is_transferred_to_another_category_keeping_its_place(h):
    # given
    wrong = h.issue("social", now=at(9))
    h.issue("business", now=at(9, 5))

    # when a clerk moves it
    moved = services.ticket_transfer(
        actor=h.clerks[1],
        ticket_id=wrong.pk,
        to_category="business",
        reason="wrong queue",
        now=at(9, 20),
    )

    # then it is first in the business line with its own number
    assert (moved.category.code, moved.display, moved.source) == ("business", "F001", "transferred")
    h.open(0, profile="business")
    assert h.call(0).pk == moved.pk


def test_a_finished_or_cancelled_ticket_is_not_converted(h):
    consulting = _serving_consultation(h)
    services.ticket_finish(actor=h.clerks[0], ticket_id=consulting.pk, now=at(9, 40))
    cancelled = services.ticket_cancel(actor=h.clerks[1], ticket_id=h.issue(now=at(9, 41)).pk)
    for ticket in (consulting, cancelled):
        assert (
            _code(
                lambda t=ticket: services.ticket_convert(
                    actor=h.clerks[0], ticket_id=t.pk, to_kind="pickup"
                )
            )
            == "illegal_transition"
        )
    assert Ticket.objects.filter(parent__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"to_kind": "consultation"}, "conversion_not_allowed"),
        ({"to_kind": "express"}, "unknown_kind"),
        ({"to_kind": "acceptance", "category": "trade"}, "category_not_offered"),
    ],
)
def test_a_bad_conversion_gets_a_clear_code_and_changes_nothing(h, change, code):
    consulting = _serving_consultation(h)
    if change["to_kind"] == "consultation":
        consulting = services.ticket_convert(
            actor=h.clerks[0], ticket_id=consulting.pk, to_kind="acceptance", keep=True
        )
    before = Ticket.objects.count()
    assert (
        _code(lambda: services.ticket_convert(actor=h.clerks[0], ticket_id=consulting.pk, **change))
        == code
    )
    assert Ticket.objects.count() == before
    assert Ticket.objects.get(pk=consulting.pk).state == "serving"


def test_a_transfer_to_the_same_category_is_refused(h):
    ticket = h.issue("social")
    assert (
        _code(
            lambda: services.ticket_transfer(
                actor=h.clerks[0], ticket_id=ticket.pk, to_category="social"
            )
        )
        == "transfer_not_allowed"
    )
