"""Ratings of cases (好差评 of 办件) beside ratings of visits: one subject per rating, held
by the database; one rating per case; the visits' statistics count visits only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from onestop.core.departments import departments_load
from onestop.core.errors import Conflict
from onestop.core.models import Department
from onestop.core.regions import regions_load
from onestop.hall.tests.factories import DAY, at, person
from onestop.identity import services as identity
from onestop.ratings import selectors, services
from onestop.ratings.models import FollowUpTask, Rating
from onestop.ratings.tests.factories import finished_visit

pytestmark = pytest.mark.django_db


def _subject(centre, **changes):
    regions_load()
    departments_load()
    department = Department.objects.get(code="GZ-GAJ")
    facts = {
        "case_id": 7001,
        "number": "20261201-GZTH-00001",
        "centre_id": centre.pk,
        "department_id": department.pk,
        "item_key": "gaj-hukou",
        "item_name": "户口迁移",
        "person_id": None,
        "closed_on": DAY,
    }
    return services.CaseSubject(**{**facts, **changes})


def _citizen():
    return identity.citizen_account_create(person=person(), password="x-Pass-12345")


def test_a_case_is_rated_once_and_kept_out_of_the_visits_statistics():
    # given: a rated visit and a rated case at one centre on one day
    place, ticket = finished_visit()
    services.rating_submit(token=ticket.public_token, level=5, now=at(10))
    subject = _subject(place.centre)
    citizen = _citizen()
    # when
    services.case_rating_submit(actor=citizen, subject=subject, level=2, now=at(10))
    # then
    assert Rating.objects.get(case_id=subject.case_id).ticket_id is None
    with pytest.raises(Conflict):
        services.case_rating_submit(actor=citizen, subject=subject, level=5, now=at(10))
    rows = selectors.rating_rows(actor=place.manager, centre_id=place.centre.pk, start=DAY, end=DAY)
    assert [row.ticket_id for row in rows] == [ticket.pk]
    counted = selectors.case_rating_rows(department_ids=None, first=DAY, last=DAY)
    assert [(row.item_key, row.level) for row in counted] == [("gaj-hukou", 2)]


def test_a_named_bad_case_rating_opens_a_follow_up_for_the_accepting_centre():
    place, _ = finished_visit()
    services.case_rating_submit(
        actor=_citizen(), subject=_subject(place.centre), level=1, now=at(10)
    )
    task = FollowUpTask.objects.get()
    assert task.centre_id == place.centre.pk
    assert selectors.access_follow_up(place.manager, task.pk).rating.case_number


def test_a_rating_of_both_a_visit_and_a_case_is_refused_by_the_database():
    # given
    _, ticket = finished_visit()
    rating = services.rating_submit(token=ticket.public_token, level=5, now=at(10))
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(case_id=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(ticket=None)
    assert Rating.objects.get(pk=rating.pk).ticket_id == ticket.pk


def test_the_follow_up_page_shows_the_rated_case(client):
    place, _ = finished_visit()
    services.case_rating_submit(
        actor=_citizen(), subject=_subject(place.centre), level=1, now=at(10)
    )
    client.force_login(place.manager)
    page = client.get(f"/ratings/follow-ups/{FollowUpTask.objects.get().pk}/")
    assert page.status_code == 200
    assert "20261201-GZTH-00001" in page.content.decode()
