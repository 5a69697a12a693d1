"""The hall API: a kiosk takes a number, a clerk calls, converts and finishes it, the phone
reads the status; refusals are problem+json with the hall's codes."""

import pytest
import time_machine

from onestop.appointments.models import Booking
from onestop.appointments.selectors import booking_token
from onestop.hall.models import Ticket
from onestop.hall.tests.factories import at, hall, person
from onestop.hall.tests.test_kiosk import TUESDAY, _book, _local
from onestop.identity.selectors import person_find_by_id_number
from onestop.identity.services import api_token_issue
from onestop.identity.tests.factories import platform_admin

pytestmark = pytest.mark.django_db

API = "/api/v1/hall"


@pytest.fixture
def h():
    return hall()


@pytest.fixture(autouse=True)
def nine_thirty():
    with time_machine.travel(at(9, 30), tick=False):
        yield


def _bearer(user) -> dict[str, str]:
    _, token = api_token_issue(actor=platform_admin(), user=user, name="console")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_visit_through_the_api(client, h):
    kiosk, clerk = _bearer(h.kiosk), _bearer(h.clerks[0])
    card = person(id_number="440106199003071231")

    # a kiosk issues a consultation ticket to a person identified by card
    issued = client.post(
        f"{API}/tickets",
        {
            "centre": h.centre.code,
            "category": "social",
            "kind": "consultation",
            "card": "440106199003071231",
        },
        content_type="application/json",
        **kiosk,
    )
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    assert (body["ticket"]["display"], body["ticket"]["state"], body["estimate"]["ahead"]) == (
        "C001",
        "waiting",
        0,
    )
    token = body["status_token"]
    assert card.pk  # identified, but the answer holds no personal data
    assert "person" not in body

    # the clerk signs in and calls it, and sees why
    opened = client.post(
        f"{API}/windows/{h.windows[0].pk}/open",
        {"profile_id": h.profiles["social"].pk},
        content_type="application/json",
        **clerk,
    )
    assert opened.json()["state"] == "open"
    called = client.post(f"{API}/windows/{h.windows[0].pk}/call-next", **clerk).json()
    assert called["ticket"]["display"] == "C001"
    assert [r["code"] for r in called["why"]] == ["profile_order", "first_in_line"]

    # the phone sees the call
    status = client.get(f"{API}/status/{token}").json()
    assert (status["ticket"]["state"], status["ticket"]["window"]) == ("called", 1)

    # the clerk starts, converts to an acceptance kept at the window, and finishes
    ticket_id = called["ticket"]["id"]
    client.post(f"{API}/tickets/{ticket_id}/start", **clerk)
    converted = client.post(
        f"{API}/tickets/{ticket_id}/convert",
        {"to_kind": "acceptance", "keep": True},
        content_type="application/json",
        **clerk,
    )
    assert converted.status_code == 201
    successor = converted.json()
    assert (successor["display"], successor["kind"], successor["state"]) == (
        "C001",
        "acceptance",
        "serving",
    )
    finished = client.post(f"{API}/tickets/{successor['id']}/finish", **clerk).json()
    assert finished["state"] == "done"

    # and the phone follows the visit to its end
    assert client.get(f"{API}/status/{token}").json()["ticket"]["state"] == "done"
    detail = client.get(f"{API}/tickets/{successor['id']}", **clerk).json()
    assert [e["action"] for e in detail["timeline"]][-2:] == ["started", "finished"]


def test_refusals_are_problem_json_with_the_halls_codes(client, h):
    clerk = _bearer(h.clerks[0])
    closed = client.post(f"{API}/windows/{h.windows[0].pk}/call-next", **clerk)
    assert closed.status_code == 403
    assert closed["Content-Type"] == "application/problem+json"
    assert closed.json()["code"] == "not_at_window"

    unknown = client.post(
        f"{API}/tickets",
        {"centre": h.centre.code, "category": "nope", "kind": "acceptance"},
        content_type="application/json",
        **_bearer(h.kiosk),
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_category")


def test_nothing_but_the_status_is_open_to_the_public(client, h):
    ticket = h.issue(now=at(9))
    assert client.post(f"{API}/windows/{h.windows[0].pk}/call-next").status_code == 401
    assert client.get(f"{API}/tickets/{ticket.pk}").status_code == 401
    assert client.get(f"{API}/status/{ticket.public_token}").status_code == 200
    assert client.get(f"{API}/status/not-a-token").status_code == 404


def test_the_holder_gives_up_a_waiting_number_once(client, h):
    # given: two in line
    first = h.issue(now=at(9))
    behind = h.issue(now=at(9, 1))
    h.open(0, now=at(9))

    # when: the first holder gives up, then tries again
    given_up = client.post(f"{API}/status/{first.public_token}/withdraw")
    again = client.post(f"{API}/status/{first.public_token}/withdraw")

    # then: the number is out of line and the next call reaches the one behind
    assert (given_up.status_code, given_up.json()["ticket"]["state"]) == (200, "cancelled")
    assert (again.status_code, again.json()["code"]) == (409, "illegal_transition")
    assert h.call(0, now=at(9, 5)).pk == behind.pk
    assert client.post(f"{API}/status/not-a-token/withdraw").status_code == 404


def test_a_clerk_of_another_centre_does_not_find_its_windows_or_tickets(client, h):
    other = hall()
    ticket = h.issue(now=at(9))
    stranger = _bearer(other.clerks[0])
    assert client.get(f"{API}/tickets/{ticket.pk}", **stranger).status_code == 404
    assert client.post(f"{API}/windows/{h.windows[0].pk}/pause", **stranger).status_code == 404
    assert client.get(f"{API}/centres/{h.centre.code}/windows", **stranger).status_code == 403


# --- A booked visitor's arrival: one service checks the booking in and issues the ticket ----


def _arrive(client, h, booking_text, **headers):
    return client.post(
        f"{API}/tickets",
        {"centre": h.centre.code, "booking": booking_text},
        content_type="application/json",
        **headers,
    )


def test_a_booking_arrives_through_the_api_checked_in_and_in_line_at_its_slot(client, h):
    # given a booking for 10:00 and a kiosk at 9:50
    booking = _book(h.centre)
    with time_machine.travel(_local(TUESDAY, 9, 50), tick=False):
        # when the kiosk sends the booking's QR
        answer = _arrive(client, h, booking_token(booking), **_bearer(h.kiosk))

    # then the booking is checked in and the ticket waits for its slot
    assert answer.status_code == 201, answer.json()
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.queue_at, ticket.booking_ref) == (
        "appointment",
        _local(TUESDAY, 10),
        booking.code,
    )
    assert ticket.person_id == booking.person_id
    assert Booking.objects.get(pk=booking.pk).state == "checked_in"
    assert answer.json()["ticket"]["display"] == ticket.display


def test_the_api_decides_lateness_itself(client, h):
    # given a booking for 10:00, arriving at 10:20 (past the 15 minutes' grace)
    booking = _book(h.centre)
    with time_machine.travel(_local(TUESDAY, 10, 20), tick=False):
        answer = _arrive(client, h, booking.code, **_bearer(h.kiosk))

    # then the visitor is a walk-in from now, the booking named on the ticket
    assert answer.status_code == 201, answer.json()
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.queue_at, ticket.booking_ref) == (
        "walk_in",
        _local(TUESDAY, 10, 20),
        booking.code,
    )
    assert "late" in ticket.events.get().reason


def test_the_caller_cannot_say_when_the_slot_was_or_whether_it_is_late(client, h):
    # given the published request body of a ticket
    body = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["HallIssueIn"]

    # then it has no slot start and no lateness, and sending them changes nothing issued
    assert not {"slot_start", "late", "source"} & set(body["properties"])
    refused = client.post(
        f"{API}/tickets",
        {"centre": h.centre.code, "category": "social", "slot_start": at(8).isoformat()},
        content_type="application/json",
        **_bearer(h.kiosk),
    )
    assert refused.status_code in (201, 422)
    assert not Ticket.objects.filter(source="appointment").exists()


def test_a_refused_arrival_leaves_the_booking_unused(client, h):
    # given a booking here and a kiosk of another centre
    booking = _book(h.centre)
    stranger = hall().kiosk
    with time_machine.travel(_local(TUESDAY, 9, 50), tick=False):
        # when the stranger's kiosk sends it, and then ours sends it too early
        foreign = _arrive(client, h, booking.code, **_bearer(stranger))
    with time_machine.travel(_local(TUESDAY, 9, 0), tick=False):
        early = _arrive(client, h, booking.code, **_bearer(h.kiosk))

    # then both are refused and nothing changed
    assert (foreign.status_code, foreign.json()["code"]) == (403, "not_allowed")
    assert (early.status_code, early.json()["code"]) == (409, "checkin_too_early")
    assert Booking.objects.get(pk=booking.pk).state == "booked"
    assert not Ticket.objects.exists()


def test_a_card_the_hall_has_never_seen_takes_a_number_and_registers_its_holder(client, h):
    # given: a valid resident ID number nobody has registered
    assert person_find_by_id_number("11010519491231002X") is None

    # when
    issued = client.post(
        f"{API}/tickets",
        {
            "centre": h.centre.code,
            "category": "social",
            "kind": "consultation",
            "card": "11010519491231002X",
        },
        content_type="application/json",
        **_bearer(h.kiosk),
    )

    # then
    assert issued.status_code == 201, issued.json()
    holder = person_find_by_id_number("11010519491231002X")
    assert holder is not None
    assert Ticket.objects.get(display=issued.json()["ticket"]["display"]).person_id == holder.pk
