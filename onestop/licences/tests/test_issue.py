"""The catalog of licence types and issuance: identifiers, metadata, the holder's code
sealed, the department's scope, and bad input that changes nothing."""

from typing import Any

import pytest
from django.db import connection
from stdnum.iso7064 import mod_37_36

from onestop.core import pii
from onestop.core.errors import DomainError, PermissionDenied
from onestop.identity.tests import factories as accounts
from onestop.licences import selectors, services
from onestop.licences.enums import HolderCodeType, LicenceStatus
from onestop.licences.models import Licence, LicenceEvent, LicenceType
from onestop.licences.tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_has_the_six_types_with_their_face_layouts(catalog):
    # when
    types = {t.name: t for t in selectors.licence_types()}

    # then
    assert set(types) >= {
        "营业执照",
        "食品经营许可证",
        "建筑工程施工许可证",
        "出生医学证明",
        "居住证",
        "不动产权证书",
    }
    food = types["食品经营许可证"]
    assert food.validity_years == 5
    assert food.holder_category == "legal_person"
    assert [f["key"] for f in food.face_layout][:2] == ["operator", "legal_representative"]
    assert selectors.licence_types_for_item("gz-spjy-xb") == [food]
    assert types["不动产权证书"] in selectors.licence_types_replacing("房屋权属证明")


def test_a_type_code_that_is_not_a_uscc_and_three_digits_is_refused(catalog):
    # given
    before = LicenceType.objects.count()

    # when
    with pytest.raises(DomainError) as refused:
        services.licence_type_define(
            actor=None,
            code="12345678901234567X001",
            name="测试证",
            defining_authority="测试局",
            defining_authority_level="national",
            holder_category="natural_person",
            validity_years=None,
            issuer_level="municipal",
            department_code="GZ-GAJ",
            face_layout=[{"key": "name", "label": "姓名"}],
        )

    # then
    assert refused.value.code == "invalid_licence_type_code"
    assert LicenceType.objects.count() == before


def test_issuing_gives_a_checked_identifier_and_the_metadata(catalog):
    # when
    issued = factories.residence_permit()

    # then
    licence = issued.licence
    type_code, issuer, serial, version, check = licence.identifier.split(".")[-5:]
    assert (type_code, issuer, version) == (licence.licence_type_code, licence.issuer_uscc, "001")
    assert mod_37_36.is_valid(type_code + issuer + serial + version + check)
    assert licence.issuer_uscc == licence.licence_type.department.uscc
    assert licence.holder_code_type == HolderCodeType.RESIDENT_ID
    assert licence.status == LicenceStatus.VALID
    assert licence.valid_until is not None
    assert (licence.valid_until - licence.valid_from).days in (364, 365)
    assert [e.action for e in LicenceEvent.objects.filter(licence=licence)] == ["issue"]


def test_the_holders_code_and_the_credential_are_sealed_at_rest(catalog):
    # given
    issued = factories.residence_permit()
    id_number = pii.reveal(issued.holder.person, "id_number")

    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT holder_code_sealed, holder_code_masked, credential_sealed, face"
            " FROM licences_licence"
        )
        stored = " ".join(str(v) for v in cursor.fetchone())

    # then
    assert id_number not in stored
    assert issued.licence.holder_code_masked in stored
    assert pii.reveal(issued.licence, "holder_code") == id_number
    verified = selectors.licence_verify_credential(selectors.licence_credential(issued.licence))
    assert verified.disclosed["holder_code"] == id_number


def test_a_department_issues_only_its_own_types(catalog):
    # given: an approver of the market regulator, a residence permit of public security
    officer = factories.approver("GZ-SCJGJ")
    holder: Any = accounts.citizen()
    before = Licence.objects.count()

    # when
    with pytest.raises(PermissionDenied):
        services.licence_issue(
            actor=officer,
            type_code=factories.code_of(factories.RESIDENCE),
            holder_code=pii.reveal(holder.person, "id_number"),
            holder_name=holder.person.name,
            face=factories.residence_face(holder.person.name),
        )

    # then
    assert Licence.objects.count() == before


@pytest.mark.parametrize(
    ("face", "field"),
    [
        ({"sex": "男", "born_on": "1990-05-01", "address": "x"}, "name"),
        ({"name": "陈晓明", "sex": "男", "born_on": "1990-13-01", "address": "x"}, "born_on"),
        ({**factories.residence_face(), "colour": "red"}, "colour"),
    ],
)
def test_bad_face_fields_are_refused_and_nothing_is_issued(catalog, face, field):
    # given
    holder: Any = accounts.citizen(name="陈晓明")
    officer = factories.approver("GZ-GAJ")
    before = Licence.objects.count()

    # when
    with pytest.raises(DomainError) as refused:
        services.licence_issue(
            actor=officer,
            type_code=factories.code_of(factories.RESIDENCE),
            holder_code=pii.reveal(holder.person, "id_number"),
            holder_name="陈晓明",
            face=face,
        )

    # then
    assert (refused.value.code, refused.value.params["field"]) == ("invalid_face_fields", field)
    assert Licence.objects.count() == before


def test_a_holder_name_that_is_not_the_registered_persons_is_refused(catalog):
    # given
    holder: Any = accounts.citizen(name="陈晓明")
    officer = factories.approver("GZ-GAJ")

    # when
    with pytest.raises(DomainError) as refused:
        services.licence_issue(
            actor=officer,
            type_code=factories.code_of(factories.RESIDENCE),
            holder_code=pii.reveal(holder.person, "id_number"),
            holder_name="李雷",
            face=factories.residence_face("李雷"),
        )

    # then
    assert refused.value.code == "holder_mismatch"
    assert not Licence.objects.exists()


def test_serials_count_up_per_type_and_issuer(catalog):
    # when
    first = factories.residence_permit().licence
    second = factories.residence_permit().licence

    # then
    assert int(second.serial) == int(first.serial) + 1
    assert second.status_index == first.status_index + 1
