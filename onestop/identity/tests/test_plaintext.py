"""Plaintext identifiers never reach the database: not in identity's tables, not in the
audit log, not in the outbox, not in a session."""

import pytest
from django.db import connection
from django.urls import reverse

from onestop.core.access import Role
from onestop.identity import selectors, services
from onestop.identity.tests.factories import PASSWORD, platform_admin, staff

pytestmark = pytest.mark.django_db

ID18 = "440106199003071231"
PHONE = "13800138000"
CARD = "GZ00001234"


def _every_stored_value() -> str:
    """Every row of every table, as text."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_identifiers_are_stored_sealed_indexed_and_masked_only(client, sms_codes, serving):
    # given: a person registered, signed in by SMS, looked up and revealed
    clerk = staff(Role.WINDOW_CLERK)
    person = services.person_register(
        actor=clerk, name="张三", id_number=ID18, phone=PHONE, social_security_no=CARD
    )
    services.citizen_account_create(person=person, password=PASSWORD)
    client.post(reverse("identity:citizen_sms_request"), {"phone": PHONE})
    [code] = sms_codes(PHONE)
    client.post(reverse("identity:citizen_sms_login"), {"phone": PHONE, "code": code})
    client.post(reverse("identity:citizen_login"), {"phone": PHONE, "password": "wrong"})
    services.person_identify_by_card(raw=CARD)
    serving(clerk, person)
    services.person_reveal(actor=clerk, person_id=person.pk, field="id_number", reason="check")
    selectors.person_find_by_id_number(ID18)

    # when
    stored = _every_stored_value()

    # then
    assert person.id_number_masked in stored
    for plaintext in (ID18, PHONE, CARD):
        assert plaintext not in stored


def test_the_scan_would_see_a_plaintext_if_one_were_written():
    # given: the check itself can fail
    platform_admin()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE identity_user SET display_name = %s", [PHONE])

    # then
    assert PHONE in _every_stored_value()
