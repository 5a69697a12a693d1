"""Reveals are rate-limited per actor and raise an alarm when excessive; persons are called
by opaque public ids, so there is nothing to count through."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.tests.factories import PersonFactory, platform_admin, staff
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ONESTOP_REVEAL_MAX_PER_HOUR = 3
    settings.ONESTOP_REVEAL_MAX_PER_DAY = 5
    settings.ONESTOP_REVEAL_ALARM_REFUSALS = 2


def _reveal(actor, person):
    return services.person_reveal(actor=actor, person_id=person.pk, field="phone", reason="x")


def _alarms():
    return AuditEntry.objects.filter(action="person.reveal_alarm")


def test_an_actor_over_the_hourly_limit_is_stopped_and_the_alarm_goes_to_admins_and_stewards(
    serving,
):
    # given: a clerk who has used up the hour, an admin and a data steward to tell
    admin = platform_admin()
    steward = staff(Role.DATA_STEWARD)
    clerk = staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(5)
    for someone in persons:
        serving(clerk, someone)
    for someone in persons[:3]:
        _reveal(clerk, someone)

    # when: the fourth and the fifth
    codes = []
    for someone in persons[3:]:
        with pytest.raises(DomainError) as raised:
            _reveal(clerk, someone)
        codes.append((raised.value.status, raised.value.code))

    # then: refused with a time to come back; one alarm for the run, in the audit log and
    # in the inboxes of the admin and the steward (not of the clerk)
    assert codes == [(429, "reveal_rate_limited")] * 2
    assert 3000 < raised.value.params["retry_after"] <= 3600
    [alarm] = _alarms()
    assert alarm.actor_id == clerk.pk
    assert alarm.changes["after"]["rule"] == "hour"
    messages = OutboxMessage.objects.filter(template="person_reveal_alarm")
    assert {m.recipient_user_id for m in messages} == {admin.pk, steward.pk}
    assert messages.count() == 2
    assert messages[0].context["account"] == clerk.audit_label
    assert AuditEntry.objects.filter(action="person.reveal").count() == 3


def test_the_limit_lifts_as_the_oldest_attempts_age_out(serving):
    # given: three reveals an hour and a minute ago
    clerk = staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(4)
    for someone in persons:
        serving(clerk, someone)
    with time_machine.travel(timezone.now() - timedelta(minutes=61), tick=False):
        for someone in persons[:3]:
            _reveal(clerk, someone)

    # when
    value = _reveal(clerk, persons[3])

    # then
    assert value
    assert not _alarms().exists()


def test_the_daily_limit_counts_across_hours(serving):
    # given: five reveals spread over the day
    clerk = staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(6)
    for someone in persons:
        serving(clerk, someone)
    for hours_ago, someone in zip([8, 6, 4, 2, 1], persons[:5], strict=True):
        with time_machine.travel(timezone.now() - timedelta(hours=hours_ago), tick=False):
            _reveal(clerk, someone)

    # when
    with pytest.raises(DomainError) as raised:
        _reveal(clerk, persons[5])

    # then: back when the first of them is a day old
    assert raised.value.params["rule"] == "day"
    assert 15 * 3600 < raised.value.params["retry_after"] <= 16 * 3600


def test_reveals_without_a_purpose_raise_the_alarm_once():
    # given: a clerk asking for people who are not at their window
    platform_admin()
    clerk = staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(3)

    # when
    for someone in persons:
        with pytest.raises(DomainError) as raised:
            _reveal(clerk, someone)
        assert raised.value.code == "reveal_purpose_missing"

    # then: three refusals on record, the alarm raised at the second, once
    assert AuditEntry.objects.filter(action="person.reveal_refused").count() == 3
    [alarm] = _alarms()
    assert alarm.changes["after"]["rule"] == "refusals"
    assert OutboxMessage.objects.filter(template="person_reveal_alarm").count() == 1


def test_the_limit_is_per_actor(serving):
    # given: one clerk used up the hour
    busy, other = staff(Role.WINDOW_CLERK), staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(4)
    for someone in persons:
        serving(busy, someone)
        serving(other, someone)
    for someone in persons[:3]:
        _reveal(busy, someone)

    # when
    value = _reveal(other, persons[3])

    # then
    assert value


def test_the_api_answers_429_with_retry_after(client, serving):
    # given
    clerk = staff(Role.WINDOW_CLERK)
    persons = PersonFactory.create_batch(4)
    for someone in persons:
        serving(clerk, someone)
    client.force_login(clerk)
    for someone in persons[:3]:
        _reveal(clerk, someone)

    # when
    response = client.get(
        f"/api/v1/identity/persons/{persons[3].public_id}", {"reveal": "phone", "reason": "x"}
    )

    # then
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "reveal_rate_limited"
    assert 0 < int(response["Retry-After"]) <= 3600


def test_persons_are_known_to_the_api_by_opaque_public_ids_only(client):
    # given
    client.force_login(staff(Role.DATA_STEWARD))
    first, second = PersonFactory.create_batch(2)

    # when
    by_public_id = client.get(f"/api/v1/identity/persons/{first.public_id}")
    by_key = client.get(f"/api/v1/identity/persons/{first.pk}")

    # then: the public ids tell nothing of each other, and the table's key finds nothing
    assert by_public_id.status_code == 200
    assert by_public_id.json()["id"] == first.public_id
    assert by_key.status_code == 404
    assert len(first.public_id) >= 20
    assert first.public_id != second.public_id
    assert not first.public_id.isdigit()
