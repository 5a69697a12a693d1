"""People ahead, estimated waits and the near-turn text."""

from datetime import date

import pytest

from onestop.hall import services
from onestop.hall.estimate import centre_queues, queue_estimate, ticket_estimate
from onestop.hall.selectors import people_ahead
from onestop.hall.tests.factories import at, hall, person
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def h():
    return hall(windows=3)


def _serve(h, index, start, minutes):
    ticket = h.call(index, now=start)
    services.ticket_start(actor=h.clerks[index], ticket=ticket, now=start)
    end = start.replace(minute=start.minute + minutes)
    services.ticket_finish(actor=h.clerks[index], ticket=ticket, now=end)


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
