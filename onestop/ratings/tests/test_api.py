"""The ratings API: public rating by token, follow-ups for the hall manager."""

import pytest

from onestop.hall.tests.factories import person
from onestop.ratings.models import FollowUpTask, Rating
from onestop.ratings.tests.factories import finished_visit

pytestmark = pytest.mark.django_db


def test_a_partner_reads_the_visit_and_rates_it(client):
    # given
    _, ticket = finished_visit()
    url = f"/api/v1/ratings/visits/{ticket.public_token}"

    # when
    before = client.get(url).json()
    created = client.post(
        url, {"level": 3, "reasons": ["simple-process"]}, content_type="application/json"
    )
    after = client.get(url).json()

    # then
    assert before["can_rate"] is True and before["rating"] is None
    assert created.status_code == 201
    assert created.json()["reasons"] == ["simple-process"]
    assert after["can_rate"] is False
    assert after["refusal"] == "already_rated"
    assert after["rating"]["level"] == 3


def test_bad_input_is_problem_json_and_changes_nothing(client):
    # given
    _, ticket = finished_visit()
    url = f"/api/v1/ratings/visits/{ticket.public_token}"

    # when
    response = client.post(url, {"level": 5, "reasons": ["x"]}, content_type="application/json")

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_reason"
    assert not Rating.objects.exists()


def test_the_reasons_are_public(client):
    # when
    rows = client.get("/api/v1/ratings/reasons").json()

    # then
    assert [r["code"] for r in rows][:2] == ["service-attitude", "efficiency"]
    assert rows[0]["name"] == "服务态度"
    assert rows[0]["names"] == {
        "zh_hans": "服务态度",
        "zh_hant": "服務態度",
        "en": "Service attitude",
    }


def test_the_manager_lists_and_closes_follow_ups(client):
    # given
    place, ticket = finished_visit(person=person())
    client.post(
        f"/api/v1/ratings/visits/{ticket.public_token}",
        {"level": 2},
        content_type="application/json",
    )
    client.force_login(place.manager)
    task = FollowUpTask.objects.get()

    # when
    listed = client.get("/api/v1/ratings/follow-ups?state=open").json()
    client.post(f"/api/v1/ratings/follow-ups/{task.pk}/start")
    closed = client.post(
        f"/api/v1/ratings/follow-ups/{task.pk}/close",
        {"resolution": "已整改"},
        content_type="application/json",
    )

    # then
    assert [row["id"] for row in listed] == [task.pk]
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert [(e["action"], e["by"]) for e in closed.json()["timeline"]] == [
        ("open", None),
        ("start", str(place.manager)),
        ("close", str(place.manager)),
    ]


def test_another_centres_manager_gets_not_found(client):
    # given
    from onestop.hall.tests.factories import hall

    _, ticket = finished_visit(person=person())
    client.post(
        f"/api/v1/ratings/visits/{ticket.public_token}",
        {"level": 1},
        content_type="application/json",
    )
    client.force_login(hall(windows=1).manager)
    task = FollowUpTask.objects.get()

    # when
    response = client.post(f"/api/v1/ratings/follow-ups/{task.pk}/start")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "follow_up_not_found"
    assert FollowUpTask.objects.get().state == "open"
