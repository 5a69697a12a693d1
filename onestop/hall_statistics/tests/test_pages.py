"""The statistics pages and their CSV, as the hall manager and as everyone else sees them."""

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from onestop.core.access import Role
from onestop.hall.tests.factories import DAY, at, hall, staff_at
from onestop.hall_statistics.tests.scripted import scripted_day
from onestop.identity.tests.factories import citizen, platform_admin

pytestmark = pytest.mark.django_db

RANGE = {"start": DAY.isoformat(), "end": DAY.isoformat()}


@pytest.fixture
def day():
    return scripted_day()


def page_url(day):
    return reverse("hall_statistics:centre", args=[day.place.centre.code])


def test_the_manager_sees_the_visits_of_the_day(client, day):
    # given
    client.force_login(day.place.manager)

    # when
    response = client.get(page_url(day), {**RANGE, "by": "window"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('id="statistics-table"')[1].split("</table>")[0]
    assert '<tr class="statistics-total" data-key="*">' in table
    assert f'data-key="{day.place.windows[0].pk}"' in table
    assert 'id="live-board"' in html
    assert 'hx-trigger="every 5s"' in html
    assert reverse("hall_statistics:export", args=[day.place.centre.code, "window"]) in html


def test_the_headline_figures_and_the_charts_data_come_first(client, day):
    # given
    client.force_login(day.place.manager)

    # when: the page as a manager first opens it, on that day
    response = client.get(page_url(day), RANGE)

    # then: the figures that matter, then the charts' data for the page's own script
    html = response.content.decode()
    assert re.search(
        r'data-card="taken">\s*<span class="stat-card__label">Numbers taken</span>'
        r'\s*<span class="stat-card__value">7</span>',
        html,
    )
    assert re.search(r'data-card="wait_mean">.*?13\.8<span class="stat-card__unit">min', html, re.S)
    data = json.loads(
        html.split('id="statistics-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["days"] is None  # one day: no chart by day
    assert data["levels"][0]["label"] == "Very satisfied"
    assert sum(data["hours"]["taken"]) == 7
    # no script in the page itself (the Content-Security-Policy allows none)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert "hall_statistics/charts.js" in html and "echarts.common.min.js" in html
    # the full table is there, closed until asked for
    assert '<details class="statistics-detail" id="detail">' in html


def test_a_chosen_table_opens_the_detail(client, day):
    # given
    client.force_login(day.place.manager)

    # when
    html = client.get(page_url(day), {**RANGE, "by": "clerk"}).content.decode()

    # then
    assert '<details class="statistics-detail" id="detail" open>' in html
    assert "decision 0012" not in html


def test_the_index_sends_a_manager_to_their_centre(client, day):
    # given
    client.force_login(day.place.manager)

    # when
    response = client.get(reverse("hall_statistics:index"))

    # then
    assert response.status_code == 302
    assert response["Location"] == page_url(day)


def test_a_bad_range_is_explained_and_shows_no_table(client, day):
    # given
    client.force_login(day.place.manager)

    # when
    response = client.get(page_url(day), {"start": "2026-12-05", "end": "2026-12-01"})

    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "The first day is after the last day." in html
    assert 'id="statistics-table"' not in html


def test_the_live_board_fragment(client, day):
    # given
    client.force_login(day.place.manager)

    # when
    response = client.get(reverse("hall_statistics:live", args=[day.place.centre.code]))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="live-board"')
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_csv_has_a_header_a_bom_and_the_figures(client, day):
    # given
    client.force_login(day.place.manager)
    url = reverse("hall_statistics:export", args=[day.place.centre.code, "category"])

    # when
    response = client.get(url, RANGE)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    header = rows[0]
    assert header[:4] == ["Category", "Issued", "New numbers", "Called"]
    assert "Very satisfied" in header and "No-show rate (%)" in header
    total = dict(zip(header, rows[-1], strict=True))
    assert total["Category"] == "All"
    assert (total["Issued"], total["Served"], total["Wait p50"], total["Wait p90"]) == (
        "8",
        "5",
        "11.0",
        "24.0",
    )
    assert total["Within the band (%)"] == "66.7"
    assert total["Arrival vs slot p50 (min)"] == "-10.0"
    assert len(rows) == 4  # header, two categories, all


def test_a_clerk_name_that_looks_like_a_formula_is_defused(client, day):
    # given
    clerk = day.place.clerks[0]
    clerk.display_name = '=HYPERLINK("http://x")'
    clerk.save(update_fields=["display_name"])
    client.force_login(day.place.manager)
    url = reverse("hall_statistics:export", args=[day.place.centre.code, "clerk"])

    # when
    body = client.get(url, RANGE).content.decode("utf-8").removeprefix("\ufeff")

    # then
    labels = [row[0] for row in csv.reader(io.StringIO(body))]
    assert '\'=HYPERLINK("http://x")' in labels
    assert not any(label.startswith("=") for label in labels)


def _outsiders(day) -> dict[str, Callable[[], Any]]:
    return {
        "other_manager": lambda: hall(windows=1).manager,
        "clerk": lambda: day.place.clerks[0],
        "device": lambda: staff_at(day.place.centre, Role.HALL_DEVICE),
        "citizen": citizen,
    }


@pytest.mark.parametrize("who", ["other_manager", "clerk", "device", "citizen"])
def test_others_are_denied(client, day, who):
    # given
    client.force_login(_outsiders(day)[who]())
    code = day.place.centre.code

    # when
    responses = [
        client.get(page_url(day), RANGE),
        client.get(reverse("hall_statistics:live", args=[code])),
        client.get(reverse("hall_statistics:export", args=[code, "day"]), RANGE),
        client.get(f"/api/v1/hall-statistics/centres/{code}/tables/day", RANGE),
    ]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403, 403]


def test_anonymous_is_sent_to_sign_in(client, day):
    # when
    response = client.get(page_url(day), RANGE)
    api = client.get(f"/api/v1/hall-statistics/centres/{day.place.centre.code}/live")

    # then
    assert response.status_code == 302 and "login" in response["Location"]
    assert api.status_code == 401


def test_a_platform_admin_reads_any_centre(client, day):
    # given
    client.force_login(platform_admin())

    # when
    response = client.get(page_url(day), {**RANGE, "by": "day"})

    # then
    assert response.status_code == 200


def test_the_api_gives_the_same_figures(client, day):
    # given
    client.force_login(day.place.manager)
    code = day.place.centre.code

    # when
    table = client.get(f"/api/v1/hall-statistics/centres/{code}/tables/kind", RANGE).json()
    live = client.get(f"/api/v1/hall-statistics/centres/{code}/live").json()

    # then
    assert [(r["key"], r["issued"]) for r in table["rows"]] == [
        ("acceptance", 6),
        ("consultation", 1),
        ("pickup", 1),
        ("*", 8),
    ]
    assert table["rows"][-1]["levels"] == {"5": 1, "4": 1, "3": 0, "2": 1, "1": 1}
    assert live["open_windows"] == 2
    assert {w["number"] for w in live["windows"]} == {1, 2}


def test_the_live_board_counts_the_line_now(day):
    # given
    from onestop.hall_statistics import selectors

    # when
    board = selectors.live_board(actor=day.place.manager, centre=day.place.centre, now=at(9, 45))

    # then
    pickup = next(q for q in board.queues if (q.category, q.kind) == ("social", "pickup"))
    assert (pickup.waiting, pickup.longest_wait_minutes) == (1, 10)
    assert (board.waiting, board.open_windows, board.longest_wait_minutes) == (1, 2, 10)
    assert [w.ticket for w in board.windows] == ["", ""]
