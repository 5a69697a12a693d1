import base64
import os

import pytest

from onestop.core import pii
from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.tests.factories import PersonFactory, citizen, staff

pytestmark = pytest.mark.django_db

ID18 = "440106199003071231"
PHONE = "13800138000"


@pytest.fixture
def person():
    return PersonFactory.create(id_number=ID18, phone=PHONE, social_security_no="GZ00001234")


def _reveals() -> int:
    return AuditEntry.objects.filter(action="person.reveal").count()


def test_a_window_clerk_reveals_an_id_number_and_the_access_is_audited(person, serving):
    # given: the person is at the clerk's window
    clerk = staff(Role.WINDOW_CLERK)
    serving(clerk, person)

    # when
    value = services.person_reveal(
        actor=clerk, person_id=person.pk, field="id_number", reason="checking the card"
    )

    # then
    assert value == ID18
    entry = AuditEntry.objects.get(action="person.reveal")
    assert entry.actor_id == clerk.pk
    assert entry.object_id == str(person.pk)
    assert entry.reason == "checking the card"
    assert entry.changes == {
        "after": {
            "field": "id_number",
            "masked": "4401**********1231",
            "purpose": "test.serving",
            "purpose_ref": f"test.person:{person.pk}",
        }
    }


def test_a_hotline_agent_reveals_a_phone_but_not_an_id_number(person, serving):
    # given
    agent = staff(Role.HOTLINE_AGENT)
    serving(agent, person)

    # when
    phone = services.person_reveal(
        actor=agent, person_id=person.pk, field="phone", reason="call back"
    )
    with pytest.raises(DomainError) as raised:
        services.person_reveal(actor=agent, person_id=person.pk, field="id_number", reason="x")

    # then
    assert phone == PHONE
    assert raised.value.code == "not_allowed"
    assert _reveals() == 1


def test_a_grid_worker_is_told_the_person_does_not_exist(person):
    # when
    with pytest.raises(DomainError) as raised:
        services.person_reveal(
            actor=staff(Role.GRID_WORKER), person_id=person.pk, field="phone", reason="x"
        )

    # then
    assert raised.value.status == 404
    assert _reveals() == 0


@pytest.mark.parametrize(
    ("field", "reason", "code"),
    [
        ("id_number", "", "reveal_reason_required"),
        ("id_number", "   ", "reveal_reason_required"),
        ("name", "x", "reveal_field_unknown"),
        ("phone_sealed", "x", "reveal_field_unknown"),
    ],
)
def test_a_reveal_without_a_reason_or_of_an_unknown_field_is_refused(person, field, reason, code):
    # when
    with pytest.raises(DomainError) as raised:
        services.person_reveal(
            actor=staff(Role.WINDOW_CLERK), person_id=person.pk, field=field, reason=reason
        )

    # then
    assert raised.value.code == code
    assert _reveals() == 0


def test_a_citizen_reveals_their_own_number_only(person):
    # given
    account = citizen()
    own = account.person
    assert own is not None

    # when
    value = services.person_reveal(
        actor=account, person_id=own.pk, field="id_number", reason="my own record"
    )
    with pytest.raises(DomainError) as raised:
        services.person_reveal(actor=account, person_id=person.pk, field="phone", reason="x")

    # then
    assert value == pii.reveal(own, "id_number")
    assert raised.value.status == 404
    assert AuditEntry.objects.get(action="person.reveal").changes["after"]["purpose"] == (
        "identity.own_record"
    )


def test_a_value_sealed_with_a_key_no_longer_configured_is_pii_key_missing(
    settings, person, serving
):
    # given: the key that sealed the value is dropped from the ring
    clerk = staff(Role.WINDOW_CLERK)
    serving(clerk, person)
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.ONESTOP_PII_KEYS = f"t9:{new_key}"
    pii.keyring.cache_clear()

    # when
    try:
        with pytest.raises(DomainError) as raised:
            services.person_reveal(
                actor=clerk, person_id=person.pk, field="id_number", reason="checking"
            )
    finally:
        pii.keyring.cache_clear()

    # then: no value shown, and no entry claiming it was
    assert raised.value.code == "pii_key_missing"
    assert raised.value.params["kid"] == "t1"
    assert _reveals() == 0


def test_the_api_shows_a_person_masked_by_default(client, person):
    # given
    client.force_login(staff(Role.DEPARTMENT_APPROVER))

    # when
    response = client.get(f"/api/v1/identity/persons/{person.public_id}")

    # then
    body = response.json()
    assert response.status_code == 200
    assert body["id"] == person.public_id
    assert body["id_number_masked"] == "4401**********1231"
    assert body["revealed_value"] is None
    assert ID18 not in response.content.decode()
    assert _reveals() == 0


def test_the_api_reveals_one_field_with_a_reason_and_audits_it(client, person, serving):
    # given: an approver holding the person's case
    approver = staff(Role.DEPARTMENT_APPROVER)
    serving(approver, person)
    client.force_login(approver)

    # when
    response = client.get(
        f"/api/v1/identity/persons/{person.public_id}",
        {"reveal": "id_number", "reason": "case 17"},
    )

    # then
    assert response.json()["revealed_field"] == "id_number"
    assert response.json()["revealed_value"] == ID18
    assert response.json()["revealed_for"] == "test.serving"
    assert AuditEntry.objects.get(action="person.reveal").reason == "case 17"


def test_the_api_refuses_a_reveal_the_role_does_not_allow(client, person):
    # given
    client.force_login(staff(Role.DISPATCHER))

    # when
    response = client.get(
        f"/api/v1/identity/persons/{person.public_id}", {"reveal": "phone", "reason": "x"}
    )

    # then
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_allowed"
    assert _reveals() == 0


def test_the_api_registers_a_person_for_a_clerk(client):
    # given
    client.force_login(staff(Role.WINDOW_CLERK))

    # when
    response = client.post(
        "/api/v1/identity/persons",
        {"name": "张三", "id_number": ID18, "phone": PHONE},
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    assert response.json()["sex"] == "M"
    assert response.json()["phone_masked"] == "138****8000"
    assert PHONE not in response.content.decode()


def test_the_api_reports_a_bad_id_number_as_problem_json(client):
    # given
    client.force_login(staff(Role.WINDOW_CLERK))

    # when
    response = client.post(
        "/api/v1/identity/persons",
        {"name": "张三", "id_number": ID18[:17] + "0"},
        content_type="application/json",
    )

    # then
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_resident_id"


def test_the_api_refuses_registration_to_a_hotline_agent(client):
    # given
    client.force_login(staff(Role.HOTLINE_AGENT))

    # when
    response = client.post(
        "/api/v1/identity/persons",
        {"name": "张三", "id_number": ID18},
        content_type="application/json",
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
