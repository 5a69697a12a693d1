"""Rating a finished visit, and what a bad named rating sets off."""

from datetime import timedelta

import pytest

from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.hall.tests.factories import at, person
from onestop.ratings import selectors, services
from onestop.ratings.models import FollowUpTask, Rating, RatingReason
from onestop.ratings.tests.factories import finished_visit

pytestmark = pytest.mark.django_db

SOON = at(10)


def test_the_seeded_reasons_have_stable_codes():
    # then
    assert [(r.code, r.name) for r in RatingReason.objects.order_by("position")] == [
        ("service-attitude", "服务态度"),
        ("efficiency", "办事效率"),
        ("told-at-once", "一次性告知"),
        ("simple-process", "流程便捷"),
        ("premises", "环境设施"),
    ]


def test_an_anonymous_good_rating_is_tied_to_the_ticket_window_and_clerk():
    # given
    place, ticket = finished_visit()

    # when
    rating = services.rating_submit(
        token=ticket.public_token,
        level=5,
        reasons=["efficiency", "told-at-once"],
        comment="很快",
        now=SOON,
    )

    # then
    assert rating.ticket_id == ticket.pk
    assert rating.window_id == place.windows[0].pk
    assert rating.clerk_id == place.clerks[0].pk
    assert rating.centre_id == place.centre.pk
    assert rating.service_day == ticket.service_day
    assert sorted(r.code for r in rating.reasons.all()) == ["efficiency", "told-at-once"]
    assert rating.is_named is False
    assert not FollowUpTask.objects.exists()
    assert AuditEntry.objects.filter(action="ratings.rating.submit").count() == 1


def test_an_anonymous_bad_rating_opens_no_follow_up():
    # given
    _, ticket = finished_visit()

    # when
    services.rating_submit(token=ticket.public_token, level=1, now=SOON)

    # then
    assert not FollowUpTask.objects.exists()


def test_a_bad_rating_of_an_identified_visit_opens_a_follow_up():
    # given
    _, ticket = finished_visit(person=person())

    # when
    rating = services.rating_submit(
        token=ticket.public_token, level=2, reasons=["service-attitude"], now=SOON
    )

    # then
    assert rating.is_named is True
    assert rating.person_id == ticket.person_id
    task = FollowUpTask.objects.get()
    assert (task.rating_id, task.centre_id, task.state) == (rating.pk, ticket.centre_id, "open")
    assert AuditEntry.objects.filter(action="ratings.follow_up.open").count() == 1


def test_a_phone_left_by_the_rater_is_stored_encrypted_and_names_the_rating():
    # given
    _, ticket = finished_visit()

    # when
    rating = services.rating_submit(
        token=ticket.public_token,
        level=1,
        contact_name="王女士",
        contact_phone="138 0013 8000",
        now=SOON,
    )

    # then
    stored = Rating.objects.get(pk=rating.pk)
    assert stored.is_named is True
    assert stored.contact_phone_masked == "138****8000"
    assert "13800138000" not in stored.contact_phone_sealed
    assert stored.contact_phone_index
    assert FollowUpTask.objects.filter(rating=stored).exists()


def test_a_good_named_rating_opens_no_follow_up():
    # given
    _, ticket = finished_visit(person=person())

    # when
    services.rating_submit(token=ticket.public_token, level=3, now=SOON)

    # then
    assert not FollowUpTask.objects.exists()


def _refused(code, **kwargs):
    with pytest.raises(DomainError) as caught:
        services.rating_submit(**kwargs)
    assert caught.value.code == code
    return caught.value


def test_a_visit_is_rated_once():
    # given
    _, ticket = finished_visit()
    services.rating_submit(token=ticket.public_token, level=4, now=SOON)

    # when / then
    error = _refused("already_rated", token=ticket.public_token, level=1, now=SOON)
    assert error.status == 409
    assert Rating.objects.get().level == 4


def test_a_visit_is_rated_only_when_done():
    # given
    from onestop.hall.tests.factories import hall

    place = hall(windows=1)
    ticket = place.issue("social", "acceptance", now=at(9))

    # when / then
    _refused("ticket_not_done", token=ticket.public_token, level=5, now=SOON)
    assert not Rating.objects.exists()


def test_an_unknown_token_is_refused():
    # when / then
    error = _refused("ticket_not_found", token="no-such-token", level=5, now=SOON)
    assert error.status == 404


def test_too_late_is_refused():
    # given
    _, ticket = finished_visit()
    late = ticket.finished_at + selectors.rating_period() + timedelta(seconds=1)

    # when / then
    _refused("rating_period_over", token=ticket.public_token, level=5, now=late)
    assert not Rating.objects.exists()


def test_the_period_is_a_setting(settings):
    # given
    settings.ONESTOP_RATING_PERIOD_DAYS = 1
    _, ticket = finished_visit()

    # when / then
    _refused(
        "rating_period_over",
        token=ticket.public_token,
        level=5,
        now=ticket.finished_at + timedelta(days=1, minutes=1),
    )


@pytest.mark.parametrize("level", [0, 6, "very good", None, "3.5"])
def test_an_invalid_level_is_refused(level):
    # given
    _, ticket = finished_visit()

    # when / then
    _refused("invalid_level", token=ticket.public_token, level=level, now=SOON)
    assert not Rating.objects.exists()


def test_an_unknown_or_inactive_reason_is_refused():
    # given
    _, ticket = finished_visit()
    RatingReason.objects.filter(code="premises").update(is_active=False)

    # when / then
    _refused("invalid_reason", token=ticket.public_token, level=5, reasons=["nope"], now=SOON)
    _refused("invalid_reason", token=ticket.public_token, level=5, reasons=["premises"], now=SOON)
    assert not Rating.objects.exists()


def test_a_reason_for_bad_ratings_does_not_go_with_a_good_one():
    # given
    _, ticket = finished_visit()
    RatingReason.objects.create(code="waited-long", name="等候时间长", applies="bad")

    # when / then
    _refused(
        "invalid_reason", token=ticket.public_token, level=5, reasons=["waited-long"], now=SOON
    )
    rating = services.rating_submit(
        token=ticket.public_token, level=2, reasons=["waited-long"], now=SOON
    )
    assert [r.code for r in rating.reasons.all()] == ["waited-long"]


def test_a_bad_phone_or_overlong_comment_is_refused():
    # given
    _, ticket = finished_visit()

    # when / then
    _refused("invalid_contact", token=ticket.public_token, level=1, contact_phone="12345", now=SOON)
    _refused("invalid_comment", token=ticket.public_token, level=1, comment="x" * 501, now=SOON)
    assert not Rating.objects.exists()
    assert not FollowUpTask.objects.exists()
