"""The calling rules, read as rules. No database: plain tickets in, a choice and its reasons
out."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from onestop.hall.calling import (
    DEFAULT_RULES,
    Candidate,
    Choice,
    Queue,
    Rules,
    TooEarly,
    appointment_queue_at,
    choose_next,
    line,
    no_show_refusal,
    priority_for,
    recall_refusal,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
SOCIAL = Queue("social", "acceptance")
SOCIAL_ASK = Queue("social", "consultation")
BUSINESS = Queue("business", "acceptance")


def ticket(id: int, minutes_ago: float, queue: Queue = SOCIAL, **options) -> Candidate:
    return Candidate(
        id=id,
        category=queue.category,
        kind=queue.kind,
        queue_at=NOW - timedelta(minutes=minutes_ago),
        **options,
    )


def called(tickets, queues=(SOCIAL,), rules=DEFAULT_RULES, **options):
    choice = choose_next(tickets, list(queues), rules, NOW, **options)
    return choice.ticket.id if choice else None


def chosen(tickets, queues=(SOCIAL,), rules=DEFAULT_RULES, **options) -> Choice:
    choice = choose_next(tickets, list(queues), rules, NOW, **options)
    assert choice is not None
    return choice


def reasons(tickets, queues=(SOCIAL,), rules=DEFAULT_RULES, **options):
    return [r.code for r in chosen(tickets, queues, rules, **options).reasons]


def test_first_come_first_served_within_a_queue():
    assert called([ticket(1, 5), ticket(2, 10), ticket(3, 1)]) == 2
    assert reasons([ticket(1, 5)]) == ["profile_order", "first_in_line"]


def test_nobody_waiting_in_the_profile_queues_calls_nobody():
    assert called([ticket(1, 5, BUSINESS)], queues=[SOCIAL]) is None
    assert called([]) is None


def test_the_profile_order_decides_between_queues():
    waiting = [ticket(1, 30, BUSINESS), ticket(2, 1, SOCIAL)]
    # Social first in the profile: its ticket goes, though business has waited longer.
    assert called(waiting, queues=[SOCIAL, BUSINESS]) == 2
    assert called(waiting, queues=[BUSINESS, SOCIAL]) == 1


def test_an_empty_queue_is_skipped_for_the_next_in_the_profile():
    choice = chosen([ticket(7, 3, SOCIAL_ASK)], [SOCIAL, SOCIAL_ASK])
    assert choice.ticket.id == 7
    assert choice.reasons[0].params["position"] == 2


def test_a_longest_wait_profile_serves_whoever_has_waited_longest_across_its_queues():
    waiting = [ticket(1, 30, BUSINESS), ticket(2, 1, SOCIAL)]
    assert called(waiting, queues=[SOCIAL, BUSINESS], mode="longest_wait") == 1
    assert reasons(waiting, queues=[SOCIAL, BUSINESS], mode="longest_wait")[0] == "longest_wait"


def test_a_priority_group_goes_ahead_of_earlier_arrivals():
    waiting = [ticket(1, 20), ticket(2, 2, priority="elderly")]
    assert called(waiting) == 2
    assert reasons(waiting)[1] == "priority_group"


def test_only_the_priority_groups_the_centre_honours_count():
    waiting = [ticket(1, 20), ticket(2, 2, priority="pregnant")]
    rules = Rules(priority_groups=frozenset({"elderly"}))
    assert called(waiting, rules=rules) == 1


def test_among_priority_tickets_the_earliest_goes_first():
    waiting = [ticket(1, 2, priority="disabled"), ticket(2, 5, priority="elderly")]
    assert called(waiting) == 2


def test_past_the_fairness_limit_a_ticket_is_no_longer_passed_by_later_priority_tickets():
    rules = Rules(fairness=timedelta(minutes=30))
    waiting = [ticket(1, 31), ticket(2, 10, priority="elderly")]
    assert called(waiting, rules=rules) == 1
    assert reasons(waiting, rules=rules)[1] == "fairness_bound"


def test_a_priority_ticket_that_joined_before_an_overdue_ticket_still_goes_first():
    rules = Rules(fairness=timedelta(minutes=30))
    waiting = [ticket(1, 31), ticket(2, 40, priority="elderly")]
    assert called(waiting, rules=rules) == 2


def test_before_the_fairness_limit_priority_still_goes_first():
    rules = Rules(fairness=timedelta(minutes=30))
    assert called([ticket(1, 29), ticket(2, 10, priority="elderly")], rules=rules) == 2


def test_an_appointment_is_in_line_from_its_slot_not_before():
    slot_in_20_minutes = ticket(1, -20, source="appointment")
    walk_in = ticket(2, 5)
    assert called([slot_in_20_minutes, walk_in]) == 2
    # Its slot came five minutes ago: it is ahead of a walk-in who arrived two minutes ago.
    assert called([ticket(1, 5, source="appointment"), ticket(2, 2)]) == 1
    assert "appointment_slot" in reasons([ticket(1, 5, source="appointment")])


def test_an_idle_window_may_serve_an_early_appointment():
    early = ticket(1, -20, source="appointment")
    assert called([early]) == 1
    assert reasons([early]) == ["early_appointment_idle"]
    assert called([early], rules=Rules(serve_early_appointments_when_idle=False)) is None


def test_the_line_order_is_what_a_window_would_call():
    waiting = [ticket(1, 20), ticket(2, 2, priority="elderly"), ticket(3, 10), ticket(4, -5)]
    assert [t.id for t in line(waiting, DEFAULT_RULES, NOW)] == [2, 1, 3]


# Appointments' default check-in window: from 30 minutes before the slot, on time until 15
# minutes after its start.
CHECKIN_WINDOW = {"early": timedelta(minutes=30), "late": timedelta(minutes=15)}


def test_an_appointment_joins_at_its_slot_when_on_time_or_early():
    slot = NOW
    window = {"early": timedelta(minutes=60), "late": timedelta(minutes=15)}
    assert appointment_queue_at(slot, slot - timedelta(minutes=40), **window) == slot
    assert appointment_queue_at(slot, slot + timedelta(minutes=10), **window) == slot


def test_an_appointment_later_than_the_grace_joins_as_a_walk_in():
    slot, arrived = NOW, NOW + timedelta(minutes=16)
    assert appointment_queue_at(slot, arrived, **CHECKIN_WINDOW) == arrived


def test_an_appointment_cannot_check_in_before_the_early_window():
    with pytest.raises(TooEarly):
        appointment_queue_at(NOW, NOW - timedelta(minutes=61), **CHECKIN_WINDOW)


def test_people_of_70_or_more_are_elderly_by_the_birth_date_on_their_card():
    day = date(2026, 12, 1)
    assert priority_for("", date(1956, 12, 1), day, DEFAULT_RULES) == "elderly"
    assert priority_for("", date(1956, 12, 2), day, DEFAULT_RULES) == ""
    assert priority_for("pregnant", date(1990, 1, 1), day, DEFAULT_RULES) == "pregnant"
    assert priority_for("", None, day, DEFAULT_RULES) == ""


def test_recalls_are_limited_in_number_and_spaced():
    rules = Rules(max_recalls=3, recall_gap=timedelta(seconds=30))
    assert recall_refusal(0, NOW - timedelta(seconds=31), rules, NOW) == ""
    assert recall_refusal(0, NOW - timedelta(seconds=10), rules, NOW) == "recall_too_soon"
    assert recall_refusal(3, NOW - timedelta(minutes=5), rules, NOW) == "recall_limit"


def test_a_no_show_comes_only_after_a_recall_and_its_gap():
    rules = Rules(no_show_after_recalls=1, recall_gap=timedelta(seconds=30))
    assert no_show_refusal(0, NOW - timedelta(minutes=5), rules, NOW) == "no_show_too_soon"
    assert no_show_refusal(1, NOW - timedelta(seconds=5), rules, NOW) == "no_show_too_soon"
    assert no_show_refusal(1, NOW - timedelta(seconds=31), rules, NOW) == ""


def test_every_reason_reads_as_a_sentence():
    choice = chosen(
        [ticket(1, 31), ticket(2, 10, priority="elderly")],
        rules=Rules(fairness=timedelta(minutes=30)),
    )
    texts = [r.as_dict()["text"] for r in choice.reasons]
    assert texts[1].startswith("In line 31 minutes")
