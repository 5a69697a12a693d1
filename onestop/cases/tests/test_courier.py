"""The courier's address: asked for when the courier is chosen, checked, sealed at rest,
masked on the issuance window's list and shown in full, on the case's timeline, to the
clerk who writes the waybill."""

from __future__ import annotations

import pytest

from onestop.cases import selectors, services
from onestop.cases.enums import CaseState
from onestop.cases.models import Case, CaseEvent, CourierAddress
from onestop.cases.tests.factories import NOW
from onestop.cases.values import Courier
from onestop.core.access import Role
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import AuditEntry
from onestop.hall.tests.factories import centre as centre_build
from onestop.hall.tests.factories import staff_at

pytestmark = pytest.mark.django_db

ADDRESS = "广州市天河区天河路385号太古汇一座1201"
GOOD = Courier("张三", "138 0013 8000", ADDRESS)


def _awaiting(office, courier=GOOD):
    case = office.ready_to_decide(delivery_method="courier", courier=courier)
    services.case_decide(actor=office.approver, case_id=case.pk, result="approved", now=NOW)
    services.case_result_produce(actor=office.approver, case_id=case.pk, now=NOW)
    return services.case_dispatch(actor=office.clerk, case_id=case.pk, now=NOW)


def test_the_address_is_stored_sealed_and_masked(office):
    # when
    case = office.start(delivery_method="courier", courier=GOOD)
    # then
    row = CourierAddress.objects.get(case=case)
    assert ADDRESS not in row.address_sealed and "13800138000" not in row.phone_sealed
    assert row.address_masked == "广州市天河区****"
    assert row.phone_masked == "138****8000" and row.recipient_masked == "张*"


@pytest.mark.parametrize(
    ("courier", "message"),
    [
        (None, "Give the address"),
        (Courier("张三", "13800138000", ""), "full address"),
        (Courier("张三", "13800138000", "天" * 121), "full address"),
        (Courier("张三", "12345", ADDRESS), "mobile number"),
        (Courier("", "13800138000", ADDRESS), "recipient's name"),
    ],
)
def test_bad_courier_details_are_refused_and_nothing_is_made(office, courier, message):
    with pytest.raises(DomainError) as refused:
        office.start(delivery_method="courier", courier=courier)
    assert refused.value.code == "courier_address" and message in refused.value.message
    assert not Case.objects.exists() and not CourierAddress.objects.exists()


def test_no_address_is_kept_when_the_result_is_collected(office):
    case = office.start(delivery_method="window", courier=GOOD)
    assert not CourierAddress.objects.filter(case=case).exists()


def test_the_clerk_reads_the_full_address_once_on_the_timeline(office):
    # given
    case = _awaiting(office)
    # when
    shown = services.case_courier_address_reveal(actor=office.clerk, case_id=case.pk, now=NOW)
    # then
    assert shown == Courier("张三", "13800138000", ADDRESS)
    assert CaseEvent.objects.filter(case=case, action="courier_reveal").count() == 1
    assert AuditEntry.objects.filter(action="cases.case.courier_reveal").count() == 1
    masked = selectors.courier_addresses_masked(office.clerk, [case.pk])
    assert masked[case.pk].address_masked == "广州市天河区****"


def test_the_address_is_not_shown_before_the_result_waits_or_elsewhere(office):
    case = office.start(delivery_method="courier", courier=GOOD)
    with pytest.raises(Conflict):
        services.case_courier_address_reveal(actor=office.clerk, case_id=case.pk)
    stranger = staff_at(centre_build(), Role.WINDOW_CLERK)
    waiting = _awaiting(office)
    with pytest.raises(NotFound):
        services.case_courier_address_reveal(actor=stranger, case_id=waiting.pk)
    with pytest.raises(NotFound):
        services.case_courier_address_reveal(actor=office.approver, case_id=waiting.pk)
    assert not CaseEvent.objects.filter(action="courier_reveal").exists()


def test_the_issuance_window_shows_the_mask_and_the_full_address_on_request(client, office):
    # given
    case = _awaiting(office)
    client.force_login(office.clerk)
    # when
    listed = client.get("/delivery/window/").content.decode()
    shown = client.post("/delivery/window/", {"action": "address", "case_id": case.pk})
    # then
    assert "广州市天河区****" in listed and ADDRESS not in listed
    assert shown.status_code == 200 and ADDRESS in shown.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_DELIVERY


def test_the_online_form_refuses_a_courier_without_an_address(client, office):
    from onestop.identity import services as identity

    citizen = identity.citizen_account_create(person=office.applicant, password="x-Pass-12345")
    client.force_login(citizen)
    answer = client.post(
        f"/cases/apply/{office.item.item_key}/",
        {"delivery_method": "courier", "courier_recipient": "张三", "courier_phone": "13800138000"},
    )
    assert answer.status_code == 422
    assert not Case.objects.exists()
    saved = client.post(
        f"/cases/apply/{office.item.item_key}/",
        {
            "delivery_method": "courier",
            "courier_recipient": "张三",
            "courier_phone": "13800138000",
            "courier_address": ADDRESS,
        },
    )
    assert saved.status_code == 302
    assert CourierAddress.objects.get().address_masked == "广州市天河区****"
