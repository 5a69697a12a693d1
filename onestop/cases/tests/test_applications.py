"""Starting applications: the version applied under, numbers, case types, materials and the
one-time notice."""

from __future__ import annotations

import io

import pytest

from onestop.cases import services
from onestop.cases.enums import CaseState, Provision, Retention, StepKind
from onestop.cases.models import Case, CaseEvent, CaseType, CorrectionNotice
from onestop.cases.tests.factories import NOW, PDF, PNG, moment
from onestop.catalog import services as catalog_services
from onestop.catalog.tests import factories as catalog
from onestop.core.errors import Conflict, DomainError
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_window_case_is_numbered_by_day_and_centre_and_starts_in_pre_review(office):
    # when
    first = office.start()
    second = office.start()
    # then
    prefix = office.centre.code.upper().replace("-", "")
    assert first.number == f"20261201-{prefix}-00001"
    assert second.number == f"20261201-{prefix}-00002"
    assert first.state == CaseState.PRE_REVIEW
    assert first.item_id == office.item.pk
    assert first.department.code == "GZ-GAJ"
    assert first.centre_id == office.centre.pk
    assert first.received_on == NOW.date()
    assert list(first.events.values_list("action", flat=True)) == ["create"]
    assert AuditEntry.objects.filter(action="cases.case.create", object_id=str(first.pk)).exists()


def test_numbers_start_again_each_day(office):
    office.start()
    # when
    next_day = office.start(now=moment(2026, 12, 2))
    # then
    assert next_day.number.startswith("20261202-") and next_day.number.endswith("-00001")


def test_the_case_keeps_the_version_it_was_applied_under(office):
    # given
    case = office.start()
    admin = catalog.platform_admin()
    # when a new version of the item is published with another name
    draft = catalog_services.item_revise(actor=admin, item_key=office.item.item_key)
    catalog_services.item_update(actor=admin, item_id=draft.pk, changes={"name": "新名称"})
    catalog_services.item_submit(actor=admin, item_id=draft.pk)
    catalog_services.item_publish(actor=admin, item_id=draft.pk)
    # then the case still points at the version it was applied under
    case.refresh_from_db()
    assert case.item_id == office.item.pk != draft.pk
    assert case.item.version == 1
    assert case.item_name == office.item.name != "新名称"


def test_the_case_type_defaults_from_the_item_type(office):
    # when
    case = office.start()
    # then
    assert case.steps == [StepKind.EXAMINE, StepKind.DECIDE]
    assert case.retention_map["approved"] == Retention.PERMANENT
    assert case.retention_map["refused"] == Retention.YEARS_30
    assert case.retention_map["withdrawn"] == Retention.YEARS_10


def test_a_configured_case_type_is_copied_into_the_case(office):
    # given
    CaseType.objects.create(
        item_key=office.item.item_key,
        steps=["examine", "site_inspection", "second_approval", "decide"],
        notify_steps=["site_inspection", "decide"],
        retention={"approved": "30y"},
    )
    # when
    case = office.start()
    CaseType.objects.filter(item_key=office.item.item_key).update(steps=["decide"])
    # then
    case.refresh_from_db()
    assert case.steps == ["examine", "site_inspection", "second_approval", "decide"]
    assert case.retention_map["approved"] == "30y"


def test_held_by_government_materials_are_never_asked_for(office):
    # given
    case = office.start()
    held = case.materials.get(name="居民户口簿")
    # then
    assert held.provision == Provision.HELD
    with pytest.raises(DomainError) as refused:
        services.case_material_upload(
            actor=office.clerk,
            case_id=case.pk,
            material_id=held.material_id,
            content=io.BytesIO(PDF),
        )
    assert refused.value.code == "material_not_asked"


def test_an_upload_is_typed_by_its_content_and_stored(office):
    # given
    case = office.start()
    line = case.materials.get(name="居民身份证")
    # when
    stored = services.case_material_upload(
        actor=office.clerk,
        case_id=case.pk,
        material_id=line.material_id,
        content=io.BytesIO(PNG),
        filename="photo.pdf",
    )
    # then
    assert stored.content_type == "image/png"
    assert stored.provision == Provision.UPLOAD
    assert stored.file.name.endswith(".png")
    assert stored.file.storage.exists(stored.file.name)
    assert stored.original_name == "photo.pdf"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00 this is an executable", "file_type"),
        (b"%PDF-" + b"0" * (services.UPLOAD_MAX_BYTES), "file_too_large"),
    ],
)
def test_a_bad_upload_is_refused_and_changes_nothing(office, content, code):
    # given
    case = office.start()
    line = case.materials.get(name="居民身份证")
    events = CaseEvent.objects.count()
    # when
    with pytest.raises(DomainError) as refused:
        services.case_material_upload(
            actor=office.clerk,
            case_id=case.pk,
            material_id=line.material_id,
            content=io.BytesIO(content),
            filename="id.pdf",
        )
    # then
    assert refused.value.code == code
    line.refresh_from_db()
    assert line.provision == Provision.MISSING and not line.file
    assert CaseEvent.objects.count() == events


def test_a_case_missing_a_required_material_cannot_be_accepted(office):
    # given
    case = office.start()
    # when
    with pytest.raises(DomainError) as refused:
        services.case_accept(actor=office.clerk, case_id=case.pk)
    # then
    assert refused.value.code == "material_required"
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW


def test_an_application_for_a_withdrawn_item_is_refused(office):
    # given
    catalog_services.item_withdraw(
        actor=catalog.platform_admin(), item_id=office.item.pk, reason="停止实施"
    )
    count = Case.objects.count()
    # when
    with pytest.raises(DomainError) as refused:
        office.start()
    # then
    assert refused.value.code == "item_not_available"
    assert Case.objects.count() == count


def test_the_one_time_notice_names_everything_and_nothing_more_can_be_asked(office):
    # given
    case = office.start()
    line = case.materials.get(name="居民身份证")
    # when
    notice = services.case_correction_request(
        actor=office.clerk,
        case_id=case.pk,
        problems=[
            services.Problem(line.material_id, "复印件不清晰"),
            services.Problem(None, "申请表未签名"),
        ],
        now=NOW,
    )
    # then
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION
    assert [p["problem"] for p in notice.problems] == ["复印件不清晰", "申请表未签名"]
    assert notice.answer_by.isoformat() == "2026-12-08"
    with pytest.raises(Conflict) as again:
        services.case_correction_request(
            actor=office.clerk, case_id=case.pk, problems=[services.Problem(None, "另一个问题")]
        )
    assert again.value.code == "notice_already_issued"
    assert CorrectionNotice.objects.filter(case=case).count() == 1


def test_a_notice_may_not_ask_for_what_the_government_holds(office):
    # given
    case = office.start()
    held = case.materials.get(name="居民户口簿")
    # when
    with pytest.raises(DomainError) as refused:
        services.case_correction_request(
            actor=office.clerk,
            case_id=case.pk,
            problems=[services.Problem(held.material_id, "请提供户口簿")],
        )
    # then
    assert refused.value.code == "material_not_asked"
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW


def test_a_correction_answered_in_time_returns_to_checking_and_then_is_accepted(office):
    # given
    case = office.start()
    line = case.materials.get(name="居民身份证")
    services.case_correction_request(
        actor=office.clerk,
        case_id=case.pk,
        problems=[services.Problem(line.material_id, "缺少身份证")],
        now=NOW,
    )
    applicant = moment(2026, 12, 3)
    services.case_material_upload(
        actor=office.clerk,
        case_id=case.pk,
        material_id=line.material_id,
        content=io.BytesIO(PDF),
        now=applicant,
    )
    # when
    services.case_correction_answer(actor=office.clerk, case_id=case.pk, now=applicant)
    accepted = services.case_accept(actor=office.clerk, case_id=case.pk, now=applicant)
    # then
    assert accepted.state == CaseState.ACCEPTED
    assert accepted.pauses == [["2026-12-01", "2026-12-03"]]


def test_a_correction_answered_after_its_date_is_refused(office):
    # given
    case = office.start()
    line = case.materials.get(name="居民身份证")
    services.case_correction_request(
        actor=office.clerk,
        case_id=case.pk,
        problems=[services.Problem(line.material_id, "缺少身份证")],
        days=1,
        now=NOW,
    )
    # when
    with pytest.raises(DomainError) as late:
        services.case_correction_answer(
            actor=office.clerk, case_id=case.pk, now=moment(2026, 12, 4)
        )
    # then
    assert late.value.code == "correction_late"
    assert Case.objects.get(pk=case.pk).state == CaseState.CORRECTION
    lapsed = services.case_correction_lapse(actor=None, case_id=case.pk, now=moment(2026, 12, 4))
    assert lapsed.state == CaseState.NOT_ACCEPTED
    assert lapsed.retention == Retention.YEARS_10
