from datetime import date

import pytest

from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.ids import resident_id_check_digit
from onestop.core.models import AuditEntry
from onestop.identity import selectors, services
from onestop.identity.enums import RealNameLevel
from onestop.identity.models import Person
from onestop.identity.tests.factories import (
    PersonFactory,
    account_with,
    platform_admin,
    resident_id,
    staff,
)

pytestmark = pytest.mark.django_db

# A valid number: Tianhe, born 1990-03-07, sequence 123 (odd: a man).
ID18 = "44010619900307123" + resident_id_check_digit("44010619900307123")


def _counts() -> tuple[int, int]:
    return Person.objects.count(), AuditEntry.objects.count()


def test_register_derives_sex_and_birth_date_and_stores_masks():
    # given
    clerk = staff(Role.WINDOW_CLERK)

    # when
    person = services.person_register(
        actor=clerk, name=" 张  三 ", id_number=ID18.lower(), phone="138 0013 8000"
    )

    # then
    person.refresh_from_db()
    assert person.name == "张 三"
    assert person.sex == "M"
    assert person.birth_date == date(1990, 3, 7)
    assert person.id_number_masked == f"4401**********{ID18[-4:]}"
    assert person.phone_masked == "138****8000"
    assert person.real_name_level == RealNameLevel.ID_CHECKED
    assert selectors.person_find_by_id_number(ID18) == person
    assert selectors.person_find_by_phone("+86 13800138000") == person


def test_register_is_audited_with_masked_values_only():
    # given
    clerk = staff(Role.WINDOW_CLERK)

    # when
    person = services.person_register(
        actor=clerk,
        name="张三",
        id_number=ID18,
        phone="13800138000",
        social_security_no="gz1234567",
    )

    # then
    entry = AuditEntry.objects.get(action="person.register")
    assert entry.actor_id == clerk.pk
    assert entry.object_id == str(person.pk)
    assert entry.changes["after"]["id_number"] == person.id_number_masked
    assert entry.changes["after"]["name"] == "张*"
    text = str(entry.changes)
    for plaintext in (ID18, "13800138000", "GZ1234567", "张三"):
        assert plaintext not in text


def test_a_fifteen_digit_number_is_stored_as_its_eighteen_digit_form():
    # given
    old = "440106900307123"  # the 1989 form of ID18

    # when
    person = services.person_register(actor=platform_admin(), name="张三", id_number=old)

    # then
    assert selectors.person_find_by_id_number(ID18) == person
    assert person.birth_date == date(1990, 3, 7)


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"id_number": ID18[:17] + ("0" if ID18[17] != "0" else "1")}, "invalid_resident_id"),
        ({"id_number": "123"}, "invalid_resident_id"),
        ({"phone": "12800138000"}, "invalid_phone"),
        ({"phone": "1380013800"}, "invalid_phone"),
        ({"phone": "02087654321"}, "invalid_phone"),
        ({"social_security_no": "ABCDEFGHIJ"}, "invalid_social_security_no"),
        ({"social_security_no": "12345678"}, "invalid_social_security_no"),
        ({"name": "   "}, "invalid_name"),
        ({"name": "张" * 61}, "invalid_name"),
        ({"real_name_level": 7}, "invalid_real_name_level"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_changes_nothing(options, code):
    # given
    admin = platform_admin()
    before = _counts()
    arguments = {"name": "张三", "id_number": ID18, "phone": "13800138000", **options}

    # when
    with pytest.raises(DomainError) as raised:
        services.person_register(actor=admin, **arguments)

    # then
    assert raised.value.code == code
    assert raised.value.status == 422
    assert _counts() == before


@pytest.mark.parametrize(
    ("second", "code"),
    [
        ({"id_number": "440106900307123"}, "duplicate_person"),
        ({"id_number": resident_id(901), "phone": "13800138000"}, "duplicate_phone"),
        (
            {"id_number": resident_id(902), "social_security_no": "GZ1234567"},
            "duplicate_social_security_no",
        ),
    ],
)
def test_a_second_person_with_a_taken_identifier_is_a_conflict(second, code):
    # given
    admin = platform_admin()
    services.person_register(
        actor=admin,
        name="张三",
        id_number=ID18,
        phone="13800138000",
        social_security_no="GZ1234567",
    )
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.person_register(actor=admin, name="李四", **second)

    # then
    assert raised.value.code == code
    assert raised.value.status == 409
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.HOTLINE_AGENT, Role.DEPARTMENT_APPROVER, Role.GRID_WORKER])
def test_roles_without_registration_work_cannot_register(role):
    # given
    actor = account_with(role)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.person_register(actor=actor, name="张三", id_number=ID18)

    # then
    assert raised.value.code == "not_allowed"
    assert raised.value.status == 403
    assert _counts() == before


def test_clerk_updates_a_phone_and_the_old_one_no_longer_finds_the_person():
    # given
    clerk = staff(Role.WINDOW_CLERK)
    person = PersonFactory.create(phone="13800138000")

    # when
    services.person_update_contact(actor=clerk, person_id=person.pk, phone="13912345678")

    # then
    assert selectors.person_find_by_phone("13800138000") is None
    assert selectors.person_find_by_phone("13912345678") == person
    entry = AuditEntry.objects.filter(action="person.update_contact").get()
    assert entry.changes == {"before": {"phone": "138****8000"}, "after": {"phone": "139****5678"}}


def test_a_phone_held_by_someone_else_is_refused_and_changes_nothing():
    # given
    clerk = staff(Role.WINDOW_CLERK)
    PersonFactory.create(phone="13800138000")
    person = PersonFactory.create(phone="13912345678")
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.person_update_contact(actor=clerk, person_id=person.pk, phone="13800138000")

    # then
    assert raised.value.code == "duplicate_phone"
    assert _counts() == before
    assert selectors.person_find_by_phone("13912345678") == person


def test_a_dispatcher_may_see_a_person_but_not_change_their_phone():
    # given
    person = PersonFactory.create()
    dispatcher = staff(Role.DISPATCHER)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.person_update_contact(actor=dispatcher, person_id=person.pk, phone="13912345678")

    # then
    assert raised.value.code == "not_allowed"
    assert _counts() == before


def test_an_actor_who_cannot_see_the_person_gets_not_found():
    # given
    person = PersonFactory.create()
    grid_worker = staff(Role.GRID_WORKER)

    # when
    with pytest.raises(DomainError) as raised:
        services.person_update_contact(actor=grid_worker, person_id=person.pk, phone=None)

    # then
    assert raised.value.status == 404


def test_counter_verification_is_recorded_with_its_reason():
    # given
    clerk = staff(Role.WINDOW_CLERK)
    person = PersonFactory.create()

    # when
    services.person_set_real_name_level(
        actor=clerk,
        person_id=person.pk,
        level=RealNameLevel.COUNTER_VERIFIED,
        reason="ID card seen at window 3",
    )

    # then
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.COUNTER_VERIFIED
    entry = AuditEntry.objects.get(action="person.set_real_name_level")
    assert entry.reason == "ID card seen at window 3"
    assert entry.changes["after"] == {"real_name_level": 2}


def test_find_by_card_uses_the_card_number_not_the_id():
    # given
    person = PersonFactory.create(social_security_no="GZ00001234")

    # then
    assert selectors.person_find_by_card("gz 0000 1234") == person
    assert selectors.person_find_by_card("GZ00001235") is None
