"""Cases and e-licences (decision 0036): a grant issues the item's licence in the
decision's transaction and signs it after commit; a material a licence replaces is taken
from the applicant's valid licence and filed as an annotated copy (加注件)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from onestop.cases import services
from onestop.cases.enums import CaseAction, CaseResult, CaseState, Provision
from onestop.cases.models import Case, CaseEvent
from onestop.cases.tests import factories
from onestop.catalog.services import MaterialValue
from onestop.core import pii
from onestop.core.errors import DomainError
from onestop.identity import services as identity_services
from onestop.identity.tests.factories import platform_admin
from onestop.licences import selectors as licences
from onestop.licences import services as licence_services
from onestop.licences.demo import licence_types_seed_demo
from onestop.licences.enums import LicenceStatus, VerifyResult
from onestop.licences.models import Licence, LicenceUse

ADDRESS = {"address": "广州市天河区天河路1号"}


@pytest.fixture
def permits(db):
    """An office of the public security bureau whose item issues the residence permit."""
    office = factories.office(department_code="GZ-GAJ", item_key="gz-jzz-sl")
    licence_types_seed_demo(actor=None)
    return office


def _granted(office, **options):
    case = office.ready_to_decide()
    return services.case_decide(
        actor=office.approver,
        case_id=case.pk,
        result=options.pop("result", CaseResult.APPROVED),
        licence_face=options.pop("face", ADDRESS),
        now=factories.NOW,
        **options,
    )


def test_approval_issues_exactly_one_licence_to_the_applicant(permits):
    # when
    case = _granted(permits)
    # then
    issued = Licence.objects.get(case_id=case.pk)
    assert issued.holder_person_id == permits.applicant.pk
    assert issued.face["name"] == permits.applicant.name
    assert issued.face["address"] == ADDRESS["address"]
    assert issued.licence_type.name == "居住证"
    assert Licence.objects.count() == 1
    event = CaseEvent.objects.get(case=case, action=CaseAction.LICENCE)
    assert event.detail["licences"] == [issued.identifier]


def test_an_on_the_spot_grant_at_the_window_issues_the_licence_too(db):
    # given: a 即办 item of the public security bureau that issues the residence permit
    from onestop.catalog.values import Limit

    office = factories.office(
        department_code="GZ-GAJ", item_key="gz-jzz-sl", promised=Limit.immediate()
    )
    licence_types_seed_demo(actor=None)
    case = office.complete(office.start())
    # when
    done = services.case_decide_at_window(
        actor=office.clerk, case_id=case.pk, licence_face=ADDRESS, now=factories.NOW
    )
    # then
    issued = Licence.objects.get(case_id=done.pk)
    assert issued.holder_person_id == office.applicant.pk
    assert CaseEvent.objects.get(case=done, action=CaseAction.LICENCE).detail["licences"] == [
        issued.identifier
    ]


def test_approval_with_conditions_issues_one_licence(permits):
    # when
    case = _granted(permits, result=CaseResult.APPROVED_WITH_CONDITIONS, reason="限天河区居住")
    # then
    assert Licence.objects.filter(case_id=case.pk).count() == 1


def test_refusal_issues_none(permits):
    # when
    refused = _granted(permits, result=CaseResult.REFUSED, reason="不符合条件")
    # then
    assert refused.result == CaseResult.REFUSED
    assert not Licence.objects.exists()
    assert not CaseEvent.objects.filter(case=refused, action=CaseAction.LICENCE).exists()


def test_signing_runs_after_the_decision_commits(permits, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        case = _granted(permits)
    # then
    issued = Licence.objects.get(case_id=case.pk)
    credential = licences.licence_credential(issued)
    assert licences.licence_verify_credential(credential).result == VerifyResult.VALID


def test_a_crash_after_the_decision_before_signing_loses_nothing(permits):
    # given: the decision committed, and the process died before its signing task ran
    case = _granted(permits)
    issued = Licence.objects.get(case_id=case.pk)
    assert issued.credential_sealed == ""
    assert licences.licence_verify_identifier(issued.identifier).result == VerifyResult.VALID
    # when: the sweep (`onestop licences sign-pending`) runs
    signed = licence_services.licences_sign_pending(actor=None)
    again = licence_services.licences_sign_pending(actor=None)
    # then
    issued.refresh_from_db()
    assert (signed, again) == (1, 0)
    credential = licences.licence_credential(issued)
    assert licences.licence_verify_credential(credential).result == VerifyResult.VALID


def test_a_licence_the_case_cannot_fill_refuses_the_decision_and_changes_nothing(permits):
    # given
    case = permits.ready_to_decide()
    # when
    with pytest.raises(DomainError) as refused:
        services.case_decide(actor=permits.approver, case_id=case.pk, result=CaseResult.APPROVED)
    # then
    assert refused.value.code == "invalid_face_fields"
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_REVIEW
    assert not Licence.objects.exists()


# --- Reuse instead of paper -------------------------------------------------------------------


@pytest.fixture
def reuse(permits):
    """The applicant holds a residence permit from an earlier case; a second item of the
    bureau asks for a residence permit."""
    first = _granted(permits)
    item = factories.catalog.published_item(
        item_key="gz-jzz-yq",
        name="居住证签注",
        materials=[
            MaterialValue(name="居住证", form="original", e_licence_type="广东省居住证"),
            MaterialValue(name="申请表", form="original"),
        ],
    )
    return permits, item, Licence.objects.get(case_id=first.pk)


def _line(case, name):
    return case.materials.get(name=name)


def test_an_application_never_asks_for_a_material_a_valid_licence_covers(reuse):
    office, item, permit = reuse
    # when
    case = office.start(item_key=item.item_key)
    # then
    line = _line(case, "居住证")
    assert (line.provision, line.e_licence_ref) == (Provision.E_LICENCE, permit.identifier)
    missing = [m.name for m in case.materials.filter(required=True) if not m.is_provided]
    assert missing == ["申请表"]
    copy = LicenceUse.objects.get(case_id=case.pk)
    assert (copy.licence_id, copy.used_by_id, copy.purpose) == (
        permit.pk,
        office.clerk.pk,
        "居住证签注",
    )
    assert copy.valid_until <= permit.valid_until


def test_an_online_application_takes_the_citizens_own_licence(reuse):
    office, item, _permit = reuse
    citizen = identity_services.citizen_account_create(
        person=office.applicant, password=factories.accounts.PASSWORD
    )
    # when
    case = services.case_draft_create(actor=citizen, item_key=item.item_key)
    # then
    assert _line(case, "居住证").provision == Provision.E_LICENCE
    assert LicenceUse.objects.get(case_id=case.pk).used_by_id == citizen.pk


def test_a_revoked_licence_is_not_taken(reuse):
    office, item, permit = reuse
    licence_services.licence_revoke(actor=None, licence_id=permit.pk, reason="注销")
    # when
    case = office.start(item_key=item.item_key)
    # then
    assert _line(case, "居住证").provision == Provision.MISSING
    assert not LicenceUse.objects.exists()


@pytest.mark.parametrize(
    ("whose", "code"),
    [
        ("malformed", "invalid_licence_identifier"),
        ("someone_else", "licence_not_applicants"),
        ("revoked", "licence_not_usable"),
    ],
)
def test_a_bad_licence_is_refused_and_changes_nothing(reuse, whose, code):
    office, item, permit = reuse
    licence_services.licence_revoke(actor=None, licence_id=permit.pk, reason="注销")
    case = office.start(item_key=item.item_key)
    line = _line(case, "居住证")
    identifier = permit.identifier
    if whose == "malformed":
        identifier = identifier[:-1] + ("A" if identifier[-1] != "A" else "B")
    if whose == "someone_else":
        other = factories.person_build()
        identifier = licence_services.licence_issue(
            actor=office.approver,
            type_code=permit.licence_type_code,
            holder_code=pii.reveal(other, "id_number"),
            holder_name=other.name,
            face={**permit.face, "name": other.name},
        ).identifier
    # when
    with pytest.raises(DomainError) as refused:
        services.case_material_provide(
            actor=office.clerk,
            case_id=case.pk,
            material_id=line.material_id,
            provision=Provision.E_LICENCE,
            e_licence_ref=identifier,
        )
    # then
    assert refused.value.code == code
    line.refresh_from_db()
    assert (line.provision, line.e_licence_ref) == (Provision.MISSING, "")
    assert not LicenceUse.objects.exists()


def test_a_licence_of_another_type_cannot_replace_the_material(reuse):
    office, item, permit = reuse
    renewed = licence_services.licence_renew(
        actor=office.approver, licence_id=permit.pk, valid_from=permit.valid_from
    )
    case = office.start(item_key=item.item_key)
    line = _line(case, "申请表")
    # when
    with pytest.raises(DomainError) as refused:
        services.case_material_provide(
            actor=office.clerk,
            case_id=case.pk,
            material_id=line.material_id,
            provision=Provision.E_LICENCE,
            e_licence_ref=renewed.identifier,
        )
    # then
    assert refused.value.code == "material_unknown"


def test_the_applicant_chooses_a_licence_by_its_identifier(reuse):
    office, item, permit = reuse
    case = office.start(item_key=item.item_key)
    line = _line(case, "居住证")
    services.case_material_provide(
        actor=office.clerk, case_id=case.pk, material_id=line.material_id, provision="missing"
    )
    # when
    services.case_material_provide(
        actor=office.clerk,
        case_id=case.pk,
        material_id=line.material_id,
        provision=Provision.E_LICENCE,
        e_licence_ref=f" {permit.identifier} ",
        now=factories.NOW + timedelta(minutes=5),
    )
    # then
    line.refresh_from_db()
    assert line.e_licence_ref == permit.identifier
    assert LicenceUse.objects.filter(case_id=case.pk).count() == 2
    assert [e.action for e in licences.licence_timeline(permit)].count("use") == 2
    assert Licence.objects.get(pk=permit.pk).status == LicenceStatus.VALID


def test_a_licence_issued_before_the_holder_registered_is_taken_too(reuse):
    office, item, _permit = reuse
    # given: a paper licence back-issued to a resident ID nobody had registered yet
    number = "440106199001011235"
    back_issued = licence_services.licence_issue(
        actor=office.approver,
        type_code=_permit.licence_type_code,
        holder_code=number,
        holder_name="区晓岚",
        face={"name": "区晓岚", "sex": "男", "born_on": "1990-01-01", **ADDRESS},
    )
    registered = factories.person_build(id_number=number, name="区晓岚")
    assert back_issued.holder_person_id is None
    # when
    case = services.case_start_at_window(
        actor=office.clerk,
        centre_id=office.centre.pk,
        item_key=item.item_key,
        applicant=services.Applicant(person_id=registered.pk),
        now=factories.NOW,
    )
    # then
    assert _line(case, "居住证").e_licence_ref == back_issued.identifier


def test_the_case_api_names_the_licences_its_decision_issued(permits, client):
    # given
    case = _granted(permits)
    issued = Licence.objects.get(case_id=case.pk)
    _, token = identity_services.api_token_issue(
        actor=platform_admin(), user=permits.approver, name="test"
    )
    # when
    body = client.get(
        f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    # then: the identifier a verifier checks, with the licence's type and state
    assert body["licences"] == [
        {
            "identifier": issued.identifier,
            "number": issued.number,
            "type_code": issued.licence_type_code,
            "type_name": "居住证",
            "status": "valid",
            "valid_from": issued.valid_from.isoformat(),
            "valid_until": issued.valid_until.isoformat() if issued.valid_until else None,
        }
    ]
