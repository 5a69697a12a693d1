"""The figures' definitions on hand-made timeline rows, without a database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from onestop.hall_statistics import figures, overview
from onestop.hall_statistics.exporting import cell_safe
from onestop.hall_statistics.selectors import WindowNow

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def event(ticket_id, at, action, to_state, *, from_state="", detail=None, window=None, **ticket):
    return {
        "ticket_id": ticket_id,
        "at": at,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "detail": detail or {},
        "window_id": window,
        "window_number": window,
        "actor_id": 7 if window else None,
        "actor_name": "clerk",
        "service_day": date(2026, 12, 1),
        "category_id": 1,
        "category_name": "社会事务类",
        "kind": "acceptance",
        "source": ticket.get("source", "walk_in"),
        "arrived_at": ticket.get("arrived_at", T0),
        "queue_at": ticket.get("queue_at", T0),
        "parent_id": ticket.get("parent_id"),
    }


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 50, None),
        ([7.0], 90, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 90, 4.0),
        ([float(n) for n in range(1, 11)], 90, 9.0),
        ([float(n) for n in range(1, 11)], 50, 5.0),
    ],
)
def test_percentiles_are_nearest_rank(values, p, expected):
    assert figures.percentile(values, p) == expected


def test_a_late_appointment_is_measured_against_the_slot_in_the_detail():
    # given: 25 minutes late, beyond the grace, so it joined the line as a walk-in
    slot = minutes(0)
    rows = [
        event(
            1,
            minutes(25),
            "issued",
            "waiting",
            detail={"slot_start": slot.isoformat()},
            source="appointment",
            arrived_at=minutes(25),
            queue_at=minutes(25),
        )
    ]

    # when
    (fact,) = figures.ticket_facts(rows)

    # then
    assert fact.lateness_seconds == 25 * 60


def test_a_reinstated_no_show_waits_until_its_first_call_and_is_not_a_no_show():
    # given
    rows = [
        event(1, minutes(0), "issued", "waiting"),
        event(1, minutes(4), "called", "called", from_state="waiting", window=2),
        event(1, minutes(6), "no_show", "no_show", from_state="called", window=2),
        event(1, minutes(20), "reinstated", "waiting", from_state="no_show"),
        event(1, minutes(22), "called", "called", from_state="waiting", window=3),
        event(1, minutes(23), "started", "serving", from_state="called", window=3),
        event(1, minutes(30), "finished", "done", from_state="serving", window=3),
    ]

    # when
    row = figures.row_compute("k", "k", figures.ticket_facts(rows), [])

    # then
    assert (row.wait_p50, row.service_p50, row.no_shows, row.served) == (4.0, 7.0, 0, 1)
    assert figures.ticket_facts(rows)[0].window_id == 3


def test_an_estimate_of_another_shape_is_ignored():
    # given
    rows = [
        event(1, minutes(0), "issued", "waiting", detail={"estimate": {"minutes": 5}}),
        event(1, minutes(4), "called", "called", from_state="waiting", window=2),
    ]

    # when
    row = figures.row_compute("k", "k", figures.ticket_facts(rows), [])

    # then
    assert (row.estimates, row.estimate_mae, row.estimate_within_share) == (0, None, None)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("窗口 5", "窗口 5"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(text, safe):
    assert cell_safe(text) == safe


def test_the_average_wait_is_the_mean_of_the_waits():
    # given: waits of 4 and 10 minutes, and one still waiting
    rows = [
        event(1, minutes(0), "issued", "waiting"),
        event(1, minutes(4), "called", "called", from_state="waiting", window=2),
        event(2, minutes(0), "issued", "waiting"),
        event(2, minutes(10), "called", "called", from_state="waiting", window=2),
        event(3, minutes(1), "issued", "waiting"),
    ]

    # when
    row = figures.row_compute("k", "k", figures.ticket_facts(rows), [])

    # then
    assert (row.wait_mean, row.wait_p50, row.wait_max) == (7.0, 4.0, 10.0)


def test_the_overview_has_a_point_for_every_day_and_the_opening_hours():
    # given: two tickets on the first of three days, issued at 09:00 Beijing time
    rows = [
        event(1, minutes(0), "issued", "waiting"),
        event(1, minutes(6), "called", "called", from_state="waiting", window=2),
        event(2, minutes(0), "issued", "waiting", parent_id=1),
    ]
    tickets = figures.ticket_facts(rows)
    rated = [figures.RatedVisit(date(2026, 12, 1), 1, "acceptance", 2, 7, 2)]

    # when
    view = overview.overview(tickets, rated, date(2026, 12, 1), date(2026, 12, 3))

    # then: empty days are there (no wait, none taken); a successor is no new number
    assert view.days["days"] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert view.days["taken"] == [1, 0, 0]
    assert view.days["wait_mean"] == [6.0, None, None]
    assert view.hours["hours"][0] == "08:00" and view.hours["hours"][-1] == "17:00"
    assert view.hours["taken"][1] == 1 and view.hours["wait_mean"][1] == 6.0
    assert [level["count"] for level in view.levels] == [0, 0, 0, 1, 0]
    assert view.several_days
    cards = {card.key: card for card in view.cards}
    assert (cards["taken"].value, cards["wait_mean"].value, cards["satisfaction"].value) == (
        "1",
        "6",
        "0",
    )


def test_a_range_without_figures_shows_dashes_not_zeros():
    # when
    view = overview.overview([], [], date(2026, 12, 1), date(2026, 12, 1))

    # then
    cards = {card.key: card for card in view.cards}
    assert (cards["wait_mean"].value, cards["wait_mean"].unit) == ("—", "")
    assert (cards["satisfaction"].value, cards["on_time"].value) == ("—", "—")
    assert not view.several_days


@pytest.mark.parametrize(
    ("number", "label", "heading"),
    [(1, "1号窗口", "1号窗口"), (3, "综合窗口", "3 · 综合窗口"), (12, "", "Window 12")],
)
def test_a_window_is_named_once(number, label, heading):
    # given
    window = WindowNow(number, label, "open", "Open", "", "")

    # then
    assert window.heading == heading
