"""The rating page as a visitor on a phone sees it, and the manager's follow-up pages."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from onestop.hall.tests.factories import hall, person
from onestop.identity.tests.factories import citizen, platform_admin
from onestop.ratings.models import FollowUpTask, Rating
from onestop.ratings.tests.factories import finished_visit

pytestmark = pytest.mark.django_db


def test_the_rating_page_offers_five_levels_and_the_reasons(client):
    # given
    _, ticket = finished_visit()

    # when
    response = client.get(reverse("ratings:rate", args=[ticket.public_token]))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="level"') == 5
    assert html.count('name="reasons"') == 5
    assert ticket.display in html
    assert "Very dissatisfied" in html


@pytest.mark.parametrize(
    ("language", "levels"),
    [
        ("en", ["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied"]),
        ("zh-hans", ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]),
        ("zh-hant", ["非常滿意", "滿意", "基本滿意", "不滿意", "非常不滿意"]),
    ],
)
def test_the_levels_read_in_the_visitors_language(client, language, levels):
    # given
    _, ticket = finished_visit()
    client.cookies["django_language"] = language

    # when
    html = client.get(reverse("ratings:rate", args=[ticket.public_token])).content.decode()

    # then
    for label in levels:
        assert f"<span>{label}</span>" in html


def test_rating_through_the_page_then_seeing_the_thanks(client):
    # given
    _, ticket = finished_visit()
    url = reverse("ratings:rate", args=[ticket.public_token])

    # when
    response = client.post(url, {"level": "5", "reasons": ["efficiency", "premises"]})

    # then
    assert response.status_code == 302
    assert response["Location"] == url
    rating = Rating.objects.get()
    assert rating.level == 5
    thanks = client.get(url).content.decode()
    assert 'id="rating-done"' in thanks
    assert 'name="level"' not in thanks


def test_a_refused_rating_is_shown_and_changes_nothing(client):
    # given
    _, ticket = finished_visit()
    url = reverse("ratings:rate", args=[ticket.public_token])

    # when
    response = client.post(url, {"level": "9", "comment": "还行"})

    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="rating-error"' in html
    assert "Choose one of the five ratings." in html
    assert "还行" in html  # what they wrote is kept
    assert not Rating.objects.exists()


def test_a_second_rating_through_the_page_is_refused(client):
    # given
    _, ticket = finished_visit()
    url = reverse("ratings:rate", args=[ticket.public_token])
    client.post(url, {"level": "4"})

    # when
    response = client.post(url, {"level": "1"})

    # then
    assert response.status_code == 409
    assert "This visit has been rated." in response.content.decode()
    assert Rating.objects.get().level == 4


def test_a_waiting_ticket_shows_no_form(client):
    # given
    place = hall(windows=1)
    ticket = place.issue()

    # when
    response = client.get(reverse("ratings:rate", args=[ticket.public_token]))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="rating-closed"' in html
    assert 'name="level"' not in html


def test_an_unknown_token_is_a_friendly_404(client):
    # when
    response = client.get(reverse("ratings:rate", args=["nothing-here"]))

    # then
    assert response.status_code == 404
    assert "There is no such visit." in response.content.decode()


@pytest.fixture
def named_bad():
    place, ticket = finished_visit(person=person())
    from onestop.ratings import services

    services.rating_submit(token=ticket.public_token, level=1, contact_phone="13900139000")
    return place, FollowUpTask.objects.get()


def test_the_manager_works_a_follow_up_through_the_pages(client, named_bad):
    # given
    place, task = named_bad
    client.force_login(place.manager)

    # when
    listing = client.get(reverse("ratings:follow_up_list"))
    client.post(reverse("ratings:follow_up_start", args=[task.pk]), {"note": "先调取录像"})
    revealed = client.post(reverse("ratings:follow_up_reveal", args=[task.pk]), {"reason": "回访"})
    refused = client.post(reverse("ratings:follow_up_close", args=[task.pk]), {"resolution": ""})
    closed = client.post(
        reverse("ratings:follow_up_close", args=[task.pk]), {"resolution": "已回访"}
    )

    # then
    assert listing.status_code == 200
    assert reverse("ratings:follow_up_detail", args=[task.pk]) in listing.content.decode()
    assert '<strong id="revealed-phone">13900139000</strong>' in revealed.content.decode()
    assert refused.status_code == 422
    assert closed.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.resolution) == ("closed", "已回访")
    history = client.get(reverse("ratings:follow_up_detail", args=[task.pk])).content.decode()
    history = history.split('id="history"')[1]
    for shown in ("Taken", "先调取录像", "Full number shown", "回访", "Closed", "已回访"):
        assert shown in history
    assert history.index("Taken") < history.index("Full number shown") < history.index("已回访")


def test_another_centres_manager_sees_none_of_them(client, named_bad):
    # given
    _, task = named_bad
    client.force_login(hall(windows=1).manager)

    # when
    listing = client.get(reverse("ratings:follow_up_list"))
    detail = client.get(reverse("ratings:follow_up_detail", args=[task.pk]))
    start = client.post(reverse("ratings:follow_up_start", args=[task.pk]))

    # then
    assert listing.status_code == 200
    assert reverse("ratings:follow_up_detail", args=[task.pk]) not in listing.content.decode()
    assert (detail.status_code, start.status_code) == (404, 404)
    assert FollowUpTask.objects.get().state == "open"


@pytest.mark.parametrize("who", ["clerk", "admin", "citizen"])
def test_others_cannot_open_the_follow_ups(client, named_bad, who):
    # given
    place, task = named_bad
    makers: dict[str, Callable[[], Any]] = {
        "clerk": lambda: place.clerks[0],
        "admin": platform_admin,
        "citizen": citizen,
    }
    actor = makers[who]()
    client.force_login(actor)

    # when
    pages = [
        client.get(reverse("ratings:follow_up_list")),
        client.get(reverse("ratings:follow_up_detail", args=[task.pk])),
        client.post(reverse("ratings:follow_up_start", args=[task.pk])),
    ]

    # then
    assert [p.status_code for p in pages] == [403, 403, 403]
    assert FollowUpTask.objects.get().state == "open"


def test_anonymous_is_sent_to_sign_in(client, named_bad):
    # given
    _, task = named_bad

    # when
    response = client.get(reverse("ratings:follow_up_detail", args=[task.pk]))

    # then
    assert response.status_code == 302
    assert "login" in response["Location"]
