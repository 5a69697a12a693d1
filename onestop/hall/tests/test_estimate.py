"""People ahead, estimated waits and the near-turn text."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from onestop.hall import services
from onestop.hall.calling import DEFAULT_RULES, Candidate
from onestop.hall.estimate import (
    NOT_YET_ISSUED,
    Estimate,
    candidate_estimate,
    centre_queues,
    queue_estimate,
    ticket_estimate,
)
from onestop.hall.selectors import people_ahead
from onestop.hall.tests.factories import DAY, at, hall, person
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return hall(windows=3)


def _serve(h, index, start, minutes):
    ticket = h.call(index, now=start)
    services.ticket_start(actor=h.clerks[index], ticket_id=ticket.pk, now=start)
    end = start.replace(minute=start.minute + minutes)
    services.ticket_finish(actor=h.clerks[index], ticket_id=ticket.pk, now=end)


def test_people_ahead_follow_the_calling_order(h):
    first = h.issue(now=at(9))
    second = h.issue(now=at(9, 1))
    elder = h.issue(priority="elderly", now=at(9, 2))
    assert [people_ahead(t, at(9, 3)) for t in (elder, first, second)] == [0, 1, 2]


def test_with_no_recent_service_the_kinds_default_minutes_are_used(h):
    # given two open windows calling social acceptance first, one more calling it second
    h.open(0, now=at(8))
    h.open(1, now=at(8))
    h.open(2, profile="all", now=at(8))

    # when four people are ahead
    estimate = queue_estimate(h.centre.pk, "social", "acceptance", 4, now=at(9))

    # then 4 × 12 min over 3 windows, and 5 × 18 min over the 2 that call it first
    assert (estimate.windows_open, estimate.windows_first) == (3, 2)
    assert (estimate.optimistic_minutes, estimate.pessimistic_minutes) == (16, 45)


def test_recent_service_times_drive_the_estimate(h):
    # given five services of 4 to 8 minutes at one window
    for n in range(5):
        h.issue(now=at(9, n))
    h.open(0, now=at(9))
    for n, minutes in enumerate([4, 5, 6, 7, 8]):
        _serve(h, 0, at(10, 10 * n), minutes)
    waiting = h.issue(now=at(11))
    h.issue(now=at(11, 1))

    # then
    estimate = ticket_estimate(waiting, now=at(11, 2))
    assert estimate is not None
    assert (estimate.ahead, estimate.mean_service_minutes) == (0, 6.0)
    assert (estimate.optimistic_minutes, estimate.pessimistic_minutes) == (0, 7)


def test_the_centres_queues_show_who_waits_and_for_how_long(h):
    h.issue("business", now=at(9))
    h.issue("business", now=at(9, 10))
    rows = {(q.category, q.kind): q for q in centre_queues(h.centre, now=at(9, 30))}
    assert (
        rows["business", "acceptance"].waiting,
        rows["business", "acceptance"].longest_wait_minutes,
    ) == (2, 30)
    assert rows["social", "pickup"].waiting == 0


def test_the_near_turn_text_goes_once_when_n_or_fewer_are_ahead(h):
    # given a person who asked to be told when 1 person is ahead, behind three others
    for minute in range(3):
        h.issue(now=at(9, minute))
    waiting = h.issue(
        person=person(born=date(1990, 1, 1), phone="13900002222"),
        notify_at_position=1,
        now=at(9, 5),
    )
    h.open(0)
    h.open(1)

    # when the first call leaves two ahead: nothing; the second leaves one: a text
    h.call(0, now=at(9, 10))
    assert not OutboxMessage.objects.filter(template="queue_near").exists()
    h.call(1, now=at(9, 11))

    # then exactly one text, however many calls follow
    message = OutboxMessage.objects.get(template="queue_near")
    assert message.context == {"centre": h.centre.name, "ticket": waiting.display, "ahead": 1}
    h.open(2)
    h.call(2, now=at(9, 12))
    assert OutboxMessage.objects.filter(template="queue_near").count() == 1


# --- What the estimate says (issue 10: open windows, single figures) -------------------------


def test_with_no_open_window_the_wait_is_not_known(h):
    # given two people waiting for social acceptance and every window closed
    h.issue(now=at(9))
    waiting = h.issue(now=at(9, 1))

    # when the wait is estimated
    estimate = ticket_estimate(waiting, now=at(9, 2))

    # then it counts who is ahead but gives no minutes, and says why
    assert estimate is not None
    assert (estimate.ahead, estimate.windows_open, estimate.known) == (1, 0, False)
    assert (estimate.optimistic_minutes, estimate.pessimistic_minutes) == (None, None)
    with translation.override("en"):
        assert "No window is open" in estimate.wait_text
    assert not any(digit in estimate.wait_text for digit in "0123456789")


def test_a_window_open_for_other_queues_only_does_not_make_the_wait_known(h):
    # given the only open window calls business queues
    h.open(0, profile="business", now=at(8))

    # when someone takes a social number
    issued = h.issued("social", now=at(9))

    # then their wait is unknown, and the kiosk's figure is kept as unknown for the statistics
    assert not issued.estimate.known
    detail = issued.ticket.events.get().detail["estimate"]
    assert detail == {"ahead": 0, "optimistic_s": None, "pessimistic_s": None}


def test_opening_a_window_makes_the_wait_known(h):
    waiting = h.issue(now=at(9))
    h.open(0, now=at(9, 1))
    estimate = ticket_estimate(waiting, now=at(9, 2))
    assert estimate is not None and estimate.known
    with translation.override("en"):
        assert estimate.wait_text == "0–18 min"


def test_a_wait_whose_ends_agree_reads_as_one_figure():
    # given an estimate whose optimistic and pessimistic ends are the same
    same = Estimate(
        ahead=3,
        windows_open=1,
        windows_first=1,
        optimistic_minutes=19,
        pessimistic_minutes=19,
        mean_service_minutes=6.3,
    )
    apart = replace(same, optimistic_minutes=12)

    # then it reads "about 19 min", never "19–19 min"
    with translation.override("en"):
        assert same.wait_text == "about 19 min"
        assert apart.wait_text == "12–19 min"
    with translation.override("zh-hans"):
        assert "19–19" not in same.wait_text


def test_an_appointment_early_for_its_slot_waits_at_least_until_the_slot(h):
    # given an open window and nobody waiting
    h.open(0, now=at(9))

    # when a booking for 9:40 is estimated at 9:10
    found = candidate_estimate(
        h.centre.pk,
        DAY,
        Candidate(NOT_YET_ISSUED, "social", "acceptance", at(9, 40), "", "appointment"),
        now=at(9, 10),
        rules=DEFAULT_RULES,
    )

    # then the wait runs to the slot at least
    assert found.optimistic_minutes == 30
    assert found.pessimistic_minutes is not None and found.pessimistic_minutes >= 30
