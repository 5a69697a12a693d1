"""Rating a closed case (好差评): the applicant's own, once, when closed; on the timeline, in
the figures, and a named bad one followed up by the accepting centre's hall manager."""

from __future__ import annotations

import pytest
from django.conf import settings

from onestop.cases import services
from onestop.cases.figures import case_figures, figures_csv
from onestop.cases.models import CaseEvent
from onestop.cases.tests.factories import NOW
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.identity import services as identity
from onestop.notifications.models import OutboxMessage
from onestop.ratings.models import FollowUpTask, Rating

pytestmark = pytest.mark.django_db


def _citizen(person):
    return identity.citizen_account_create(person=person, password="x-Pass-12345")


def _delivered(office):
    case = office.ready_to_decide()
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved", now=NOW)
    services.case_result_produce(actor=office.approver, case_id=case.pk, now=NOW)
    services.case_dispatch(actor=office.clerk, case_id=case.pk, now=NOW)
    return services.case_deliver(actor=office.clerk, case_id=case.pk, now=NOW)


def test_the_applicant_rates_a_delivered_case_once_and_it_is_on_the_timeline(office):
    # given
    citizen = _citizen(office.applicant)
    case = _delivered(office)
    # when
    services.case_rate(
        actor=citizen, case_id=case.pk, level=5, reasons=["efficiency"], comment="很快"
    )
    # then
    given = Rating.objects.get(case_id=case.pk)
    assert given.ticket_id is None and given.level == 5 and given.is_named
    assert given.case_number == case.number and given.department_id == case.department_id
    assert given.centre_id == office.centre.pk and given.item_key == case.item_key
    assert [r.code for r in given.reasons.all()] == ["efficiency"]
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None and event.action == "rate" and event.detail == {"level": 5}


def test_a_second_rating_is_refused_and_changes_nothing(office):
    # given
    citizen = _citizen(office.applicant)
    case = _delivered(office)
    services.case_rate(actor=citizen, case_id=case.pk, level=4)
    # when / then
    with pytest.raises(Conflict) as refused:
        services.case_rate(actor=citizen, case_id=case.pk, level=1, comment="再评")
    assert refused.value.code == "already_rated"
    assert Rating.objects.get(case_id=case.pk).level == 4
    assert CaseEvent.objects.filter(case=case, action="rate").count() == 1


def test_a_case_still_open_cannot_be_rated(office):
    # given
    citizen = _citizen(office.applicant)
    case = office.in_review()
    # when / then
    with pytest.raises(Conflict) as refused:
        services.case_rate(actor=citizen, case_id=case.pk, level=5)
    assert refused.value.code == "not_closed"
    assert not Rating.objects.exists()


def test_someone_elses_case_is_not_found(office):
    # given
    from onestop.hall.tests.factories import person as person_build

    stranger = _citizen(person_build())
    case = _delivered(office)
    # when / then
    with pytest.raises(NotFound):
        services.case_rate(actor=stranger, case_id=case.pk, level=1)
    assert not Rating.objects.exists()


def test_a_bad_level_is_refused(office):
    citizen = _citizen(office.applicant)
    case = _delivered(office)
    with pytest.raises(DomainError) as refused:
        services.case_rate(actor=citizen, case_id=case.pk, level=9)
    assert refused.value.code == "invalid_level"
    assert not CaseEvent.objects.filter(case=case, action="rate").exists()


def test_a_case_not_accepted_may_be_rated_and_a_bad_rating_is_followed_up(office):
    # given
    citizen = _citizen(office.applicant)
    case = office.start()
    services.case_refuse_acceptance(actor=office.clerk, case_id=case.pk, reason="不属于本事项")
    # when
    services.case_rate(actor=citizen, case_id=case.pk, level=1, reasons=["service-attitude"])
    # then the accepting centre's hall manager has a follow-up task
    task = FollowUpTask.objects.get(rating__case_id=case.pk)
    assert task.centre_id == office.centre.pk and task.state == "open"


def test_delivery_sends_one_sms_inviting_a_rating(office):
    # given
    case = office.start(phone="13800138000")
    office.complete(case)
    services.case_accept(actor=office.clerk, case_id=case.pk, now=NOW)
    services.case_review_start(actor=office.approver, case_id=case.pk, now=NOW)
    services.case_step_complete(actor=office.approver, case_id=case.pk, now=NOW)
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved", now=NOW)
    services.case_result_produce(actor=office.approver, case_id=case.pk, now=NOW)
    services.case_dispatch(actor=office.clerk, case_id=case.pk, now=NOW)
    # when
    services.case_deliver(actor=office.clerk, case_id=case.pk, now=NOW)
    # then
    invite = OutboxMessage.objects.get(idempotency_key=f"cases:{case.pk}:rate")
    # with a link a phone can open: on the platform's public address, not a bare path
    assert f"{settings.ONESTOP_PUBLIC_URL}/cases/{case.pk}/" in invite.context["text"]


def test_the_figures_show_the_satisfaction_of_rated_cases(office):
    # given: two delivered cases, one rated satisfied and one very dissatisfied
    citizen = _citizen(office.applicant)
    first, second = _delivered(office), _delivered(office)
    services.case_rate(actor=citizen, case_id=first.pk, level=4)
    services.case_rate(actor=citizen, case_id=second.pk, level=1)
    # when
    rows = case_figures(office.head, NOW.date(), NOW.date())
    # then
    assert len(rows) == 1
    assert rows[0].rated == 2 and rows[0].satisfaction_rate == 0.5


def test_the_case_page_offers_the_rating_form_and_takes_a_rating(client, office):
    # given
    citizen = _citizen(office.applicant)
    case = _delivered(office)
    client.force_login(citizen)
    # when
    page = client.get(f"/cases/{case.pk}/")
    posted = client.post(f"/cases/{case.pk}/", {"action": "rate", "level": "5"})
    again = client.post(f"/cases/{case.pk}/", {"action": "rate", "level": "2"})
    # then
    assert 'id="case-rate"' in page.content.decode()
    assert posted.status_code == 302
    assert again.status_code == 409
    assert Rating.objects.get(case_id=case.pk).level == 5
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-rating"' in shown and 'id="case-rate"' not in shown


def test_the_csv_of_the_figures_carries_the_ratings(office):
    # given
    citizen = _citizen(office.applicant)
    services.case_rate(actor=citizen, case_id=_delivered(office).pk, level=3)
    # when
    text = figures_csv(case_figures(office.head, NOW.date(), NOW.date()))
    # then: one rating, all of it at least basically satisfied
    header, row = text.splitlines()[:2]
    assert header.endswith("Ratings,Satisfaction (%)")
    assert row.endswith(",1,100.0")


def test_the_figures_page_shows_the_satisfaction_column(client, office):
    citizen = _citizen(office.applicant)
    services.case_rate(actor=citizen, case_id=_delivered(office).pk, level=1)
    client.force_login(office.head)
    page = client.get("/cases/figures/", {"first": "2026-12-01", "last": "2026-12-01"})
    assert page.status_code == 200
    assert '<td data-label="Satisfaction (ratings)" class="case-satisfaction">0% (1)</td>' in (
        page.content.decode()
    )
