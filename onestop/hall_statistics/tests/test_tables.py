"""The figures of the scripted morning (scripted.py), worked out by hand."""

import pytest

from onestop.core.i18n import translated
from onestop.hall.tests.factories import DAY
from onestop.hall_statistics import selectors
from onestop.hall_statistics.figures import ALL_KEY
from onestop.hall_statistics.tests.scripted import scripted_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return scripted_day()


def tables(day, *by):
    result = selectors.statistics_tables(
        actor=day.place.manager, centre=day.place.centre, start=DAY, end=DAY, by=by
    )
    return result.tables


def by_label(rows):
    return {row.label: row for row in rows}


def test_the_whole_morning(day):
    # when
    total = tables(day, "day")["day"][-1]

    # then
    assert total.key == ALL_KEY
    # Eight tickets: seven numbers taken and the acceptance T4 became.
    assert (total.issued, total.new_numbers, total.called, total.served) == (8, 7, 7, 5)
    assert (total.no_shows, total.no_show_rate) == (1, round(1 / 7, 3))
    # Waits 3, 10, 11, 16, 19, 24 min (T4' was kept at the window and did not wait).
    assert (total.wait_p50, total.wait_p90, total.wait_max) == (11.0, 24.0, 24.0)
    # Service 3 (T4 until converted), 3, 6, 8, 10, 15 min.
    assert (total.service_p50, total.service_p90, total.service_max) == (6.0, 15.0, 15.0)
    # T5 came 10 min early, T6 10 min late.
    assert (total.appointments, total.on_time_share) == (2, 0.5)
    assert (total.lateness_p50, total.lateness_max) == (-10.0, 10.0)
    # Ratings 5, 2, 4, 1.
    assert total.ratings == 4
    assert total.levels == {5: 1, 4: 1, 3: 0, 2: 1, 1: 1}
    assert (total.satisfaction_share, total.mean_score) == (0.5, 3.0)
    # Estimates: T1 600 s in 300–900 (error 0), T2 1140 s in 600–1200 (+240),
    # T3 1440 s outside 0–600 (+1140): MAE 460 s.
    assert total.estimates == 3
    assert (total.estimate_mae, total.estimate_bias) == (7.7, 7.7)
    assert total.estimate_within_share == round(2 / 3, 3)


def test_the_day_table_has_one_day(day):
    # when
    rows = tables(day, "day")["day"]

    # then
    assert [row.label for row in rows] == [DAY.isoformat(), "All"]
    assert rows[0].issued == rows[1].issued == 8


def test_per_category(day):
    # when
    rows = {row.key: row for row in tables(day, "category")["category"]}

    # then
    social = rows[str(day.t["T1"].category_id)]
    business = rows[str(day.t["T4"].category_id)]
    # Categories read in the reader's language (the tests run in English).
    assert social.label == translated(day.t["T1"].category, "name") == "Social affairs"
    assert (social.called, social.served, social.no_shows, social.no_show_rate) == (3, 2, 1, 0.333)
    assert (social.wait_p50, social.wait_p90, social.wait_max) == (19.0, 24.0, 24.0)
    assert (social.service_p50, social.service_p90) == (6.0, 10.0)
    assert (social.ratings, social.levels[5], social.levels[2]) == (2, 1, 1)
    assert (business.issued, business.called, business.served, business.no_show_rate) == (
        4,
        4,
        3,
        0.0,
    )
    assert (business.wait_p50, business.wait_p90) == (11.0, 16.0)
    assert (business.service_p50, business.service_p90) == (3.0, 15.0)
    assert (business.ratings, business.levels[4], business.levels[1]) == (2, 1, 1)


def test_per_window_and_clerk(day):
    # when
    result = tables(day, "window", "clerk")

    # then
    windows = by_label(result["window"])
    assert list(windows) == ["1", "2", "Not called", "All"]
    assert (windows["1"].issued, windows["1"].served, windows["1"].no_shows) == (3, 2, 1)
    assert (windows["2"].issued, windows["2"].served, windows["2"].ratings) == (4, 3, 2)
    assert windows["Not called"].issued == 1  # T7, still waiting
    clerks = result["clerk"]
    assert [row.key for row in clerks[:2]] != ["", ""]
    by_key = {row.key: row for row in clerks}
    social, business = day.place.clerks
    assert by_key[str(social.pk)].label == str(social.display_name)
    assert (by_key[str(social.pk)].called, by_key[str(business.pk)].called) == (3, 4)
    assert (by_key[str(social.pk)].mean_score, by_key[str(business.pk)].mean_score) == (3.5, 2.5)


def test_per_kind(day):
    # when
    rows = tables(day, "kind")["kind"]

    # then
    assert [(row.key, row.issued) for row in rows] == [
        ("acceptance", 6),
        ("consultation", 1),
        ("pickup", 1),
        ("*", 8),
    ]


def test_another_day_is_empty(day):
    # when
    from datetime import timedelta

    rows = selectors.statistics_tables(
        actor=day.place.manager,
        centre=day.place.centre,
        start=DAY + timedelta(days=1),
        end=DAY + timedelta(days=2),
        by=["category"],
    ).tables["category"]

    # then
    assert [(row.key, row.issued, row.ratings) for row in rows] == [("*", 0, 0)]


def test_the_tables_take_a_fixed_number_of_queries(day, django_assert_num_queries):
    # given: the manager's roles already read, as in any request after the first check
    manager = day.place.manager
    manager.role_assignments()

    # when / then: five for the timeline (tickets, events, details, windows, clerks) and one
    # for the ratings, however many tickets
    with django_assert_num_queries(6):
        selectors.statistics_tables(
            actor=manager, centre=day.place.centre, start=DAY, end=DAY, by=["day", "clerk"]
        )
