"""The hall manager's follow-up of a named bad rating: open → in progress → closed."""

import pytest

from onestop.core.access import Role
from onestop.core.errors import Conflict, DomainError
from onestop.core.models import AuditEntry
from onestop.hall.tests.factories import at, hall, person, staff_at
from onestop.identity.tests.factories import platform_admin
from onestop.ratings import selectors, services
from onestop.ratings.enums import FOLLOW_UP_TRANSITIONS, FollowUpState
from onestop.ratings.models import FollowUpTask
from onestop.ratings.tests.factories import finished_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    place, ticket = finished_visit(person=person())
    services.rating_submit(
        token=ticket.public_token,
        level=1,
        comment="窗口人员态度差",
        contact_phone="13800138000",
        now=at(10),
    )
    return place, FollowUpTask.objects.get()


def test_the_manager_takes_and_closes_a_follow_up(task):
    # given
    place, row = task

    # when
    services.follow_up_start(actor=place.manager, task_id=row.pk, now=at(11))
    closed = services.follow_up_close(
        actor=place.manager, task_id=row.pk, resolution="已回访，窗口人员已道歉并整改。", now=at(15)
    )

    # then
    assert closed.state == "closed"
    assert closed.handler_id == place.manager.pk
    assert (closed.started_at, closed.closed_at) == (at(11), at(15))
    assert closed.resolution == "已回访，窗口人员已道歉并整改。"
    actions = list(
        AuditEntry.objects.filter(object_type="ratings.followuptask")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "ratings.follow_up.open",
        "ratings.follow_up.start",
        "ratings.follow_up.close",
    ]
    timeline = [
        (e.action, e.from_state, e.to_state, e.actor_id, e.at, e.note) for e in closed.events.all()
    ]
    assert timeline == [
        ("open", "", "open", None, at(10), ""),
        ("start", "open", "in_progress", place.manager.pk, at(11), ""),
        (
            "close",
            "in_progress",
            "closed",
            place.manager.pk,
            at(15),
            "已回访，窗口人员已道歉并整改。",
        ),
    ]


def test_closing_needs_a_resolution_and_the_task_in_progress(task):
    # given
    place, row = task

    # when / then
    with pytest.raises(DomainError) as early:
        services.follow_up_close(actor=place.manager, task_id=row.pk, resolution="done")
    assert early.value.code == "illegal_transition"
    services.follow_up_start(actor=place.manager, task_id=row.pk)
    with pytest.raises(DomainError) as empty:
        services.follow_up_close(actor=place.manager, task_id=row.pk, resolution="   ")
    assert empty.value.code == "resolution_required"
    assert FollowUpTask.objects.get().state == "in_progress"


def test_a_closed_follow_up_stays_closed(task):
    # given
    place, row = task
    services.follow_up_start(actor=place.manager, task_id=row.pk)
    services.follow_up_close(actor=place.manager, task_id=row.pk, resolution="ok")

    # when / then
    with pytest.raises(DomainError) as caught:
        services.follow_up_start(actor=place.manager, task_id=row.pk)
    assert caught.value.code == "illegal_transition"


def test_only_the_centres_hall_manager_sees_or_handles_it(task):
    # given
    place, row = task
    other = hall(windows=1)
    outsiders = [
        other.manager,
        place.clerks[0],
        platform_admin(),
        staff_at(place.centre, Role.HALL_DEVICE),
    ]

    # when / then
    for actor in outsiders:
        assert not selectors.follow_up_list(actor).exists()
        with pytest.raises(DomainError) as caught:
            services.follow_up_start(actor=actor, task_id=row.pk)
        assert caught.value.code == "follow_up_not_found"
    assert [t.pk for t in selectors.follow_up_list(place.manager)] == [row.pk]
    assert FollowUpTask.objects.get().state == "open"


def test_revealing_the_raters_phone_is_audited(task):
    # given
    place, row = task

    # when
    phone = services.follow_up_contact_reveal(
        actor=place.manager, task_id=row.pk, reason="回访核实情况"
    )

    # then
    assert phone == "13800138000"
    entry = AuditEntry.objects.get(action="ratings.follow_up.contact_reveal")
    assert entry.reason == "回访核实情况"
    assert "13800138000" not in str(entry.changes)
    event = row.events.get(action="contact_reveal")
    assert (event.actor_id, event.note) == (place.manager.pk, "回访核实情况")


def test_revealing_needs_a_reason(task):
    # given
    place, row = task

    # when / then
    with pytest.raises(DomainError):
        services.follow_up_contact_reveal(actor=place.manager, task_id=row.pk, reason=" ")
    assert not AuditEntry.objects.filter(action="ratings.follow_up.contact_reveal").exists()
    assert not row.events.filter(action="contact_reveal").exists()


FORBIDDEN = [
    (state, to)
    for state in FollowUpState.values
    for to in FollowUpState.values
    if to != FollowUpState.OPEN and to not in FOLLOW_UP_TRANSITIONS[state]
]
MOVE_TO = {
    FollowUpState.IN_PROGRESS: lambda actor, task_id: services.follow_up_start(
        actor=actor, task_id=task_id
    ),
    FollowUpState.CLOSED: lambda actor, task_id: services.follow_up_close(
        actor=actor, task_id=task_id, resolution="已处理"
    ),
}


@pytest.mark.parametrize(("state", "to"), FORBIDDEN)
def test_every_forbidden_move_is_refused_and_leaves_no_trace(task, state, to):
    # given: the task in `state` (nothing moves a task back to open: no service does)
    place, row = task
    FollowUpTask.objects.filter(pk=row.pk).update(state=state)
    events = row.events.count()

    # when
    with pytest.raises(Conflict) as refused:
        MOVE_TO[to](place.manager, row.pk)

    # then
    assert refused.value.code == "illegal_transition"
    assert FollowUpTask.objects.get().state == state
    assert row.events.count() == events


def test_the_forbidden_moves_are_the_ones_the_table_leaves_out():
    assert FORBIDDEN == [
        ("open", "closed"),
        ("in_progress", "in_progress"),
        ("closed", "in_progress"),
        ("closed", "closed"),
    ]
