import re
from datetime import timedelta

import pytest

from onestop.cases.enums import CaseState
from onestop.cases.models import Case, CaseEvent
from onestop.cases.tests.factories import NOW
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import AuditEntry
from onestop.delivery import services
from onestop.delivery.enums import DepositState, PickupOutcome
from onestop.delivery.models import Deposit
from onestop.delivery.tests import factories
from onestop.hall.tests.factories import person as person_build
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _code_from_sms(case):
    message = OutboxMessage.objects.filter(idempotency_key__startswith=f"delivery:{case.pk}:").get()
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.context["text"])
    assert found is not None
    return found.group(1)


def test_a_deposit_takes_a_free_compartment_opens_it_and_texts_a_code(hall, doors):
    # given
    case = hall.awaiting()
    # when
    made = services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    # then
    deposit = Deposit.objects.get()
    assert deposit.compartment.label == "A01" and deposit.state == DepositState.WAITING
    assert made.code not in deposit.code_hash and len(made.code) == 6
    assert doors.opened == [deposit.compartment_id]
    assert _code_from_sms(case) == made.code
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 2
    assert AuditEntry.objects.filter(action="delivery.deposit.make").count() == 1


def test_a_full_size_falls_to_the_next_bigger_and_then_refuses(db):
    # given
    hall = factories.issuance(S=["A01"], M=["B01"])
    first, second, third = hall.awaiting(), hall.awaiting(), hall.awaiting()
    services.deposit_make(actor=hall.clerk, case_id=first.pk, size="S", now=NOW)
    services.deposit_make(actor=hall.clerk, case_id=second.pk, size="S", now=NOW)
    # when
    with pytest.raises(Conflict) as refused:
        services.deposit_make(actor=hall.clerk, case_id=third.pk, size="S", now=NOW)
    # then
    assert refused.value.code == "no_free_compartment"
    assert sorted(Deposit.objects.values_list("compartment__label", flat=True)) == ["A01", "B01"]
    assert not Deposit.objects.filter(case=third).exists()
    assert CaseEvent.objects.filter(case=third, action="dispatch").count() == 1


def test_a_result_for_the_window_cannot_go_to_a_locker(hall):
    # given
    case = hall.awaiting(delivery_method="window")
    # when
    with pytest.raises(Conflict) as refused:
        services.deposit_make(actor=hall.clerk, case_id=case.pk, size="M", now=NOW)
    # then
    assert refused.value.code == "not_for_locker"
    assert Deposit.objects.count() == 0


def test_the_right_code_and_card_open_the_door_and_deliver(hall, doors):
    # given
    case = hall.awaiting()
    made = services.deposit_make(actor=hall.clerk, case_id=case.pk, size="M", now=NOW)
    # when
    result = services.locker_pickup(
        actor=hall.device,
        locker_id=hall.locker.pk,
        person_id=hall.office.applicant.pk,
        code=made.code,
        now=NOW + timedelta(hours=2),
    )
    # then
    assert result.outcome == PickupOutcome.OPENED
    assert Case.objects.get(pk=case.pk).state == CaseState.DELIVERED
    assert Deposit.objects.get().state == DepositState.COLLECTED
    assert doors.opened == [made.deposit.compartment_id] * 2
    assert AuditEntry.objects.filter(action="delivery.deposit.opened").count() == 1


def test_five_wrong_codes_lock_the_compartment_even_against_the_right_one(hall):
    # given
    case = hall.awaiting()
    made = services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    wrong = "000000" if made.code != "000000" else "111111"

    def attempt(code):
        return services.locker_pickup(
            actor=hall.device,
            locker_id=hall.locker.pk,
            person_id=hall.office.applicant.pk,
            code=code,
            now=NOW + timedelta(minutes=5),
        )

    # when
    outcomes = [attempt(wrong) for _ in range(5)]
    then_right = attempt(made.code)
    # then
    assert [o.outcome for o in outcomes] == ["wrong_code"] * 4 + ["locked"]
    assert [o.tries_left for o in outcomes[:4]] == [4, 3, 2, 1]
    assert then_right.outcome == PickupOutcome.LOCKED
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_DELIVERY
    assert AuditEntry.objects.filter(action="delivery.deposit.code_wrong").count() == 5


def test_after_the_lock_window_the_right_code_opens(hall):
    # given
    case = hall.awaiting()
    made = services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    for _ in range(5):
        services.locker_pickup(
            actor=hall.device,
            locker_id=hall.locker.pk,
            person_id=hall.office.applicant.pk,
            code="999999" if made.code != "999999" else "888888",
            now=NOW,
        )
    # when
    result = services.locker_pickup(
        actor=hall.device,
        locker_id=hall.locker.pk,
        person_id=hall.office.applicant.pk,
        code=made.code,
        now=NOW + timedelta(minutes=services.LOCK_MINUTES + 1),
    )
    # then
    assert result.outcome == PickupOutcome.OPENED


def test_a_code_for_another_centres_locker_finds_nothing_here(hall):
    # given
    elsewhere = factories.issuance()
    elsewhere.office.applicant = hall.office.applicant
    case = elsewhere.awaiting()
    made = services.deposit_make(actor=elsewhere.clerk, case_id=case.pk, size="S", now=NOW)
    # when
    with pytest.raises(NotFound) as refused:
        services.locker_pickup(
            actor=hall.device,
            locker_id=hall.locker.pk,
            person_id=hall.office.applicant.pk,
            code=made.code,
            now=NOW,
        )
    # then
    assert refused.value.code == "nothing_waiting"
    assert Deposit.objects.get().failed_attempts == 0


def test_a_device_cannot_reach_another_centres_locker(hall):
    # given
    elsewhere = factories.issuance()
    # when
    with pytest.raises(NotFound) as refused:
        services.locker_pickup(
            actor=hall.device,
            locker_id=elsewhere.locker.pk,
            person_id=hall.office.applicant.pk,
            code="123456",
            now=NOW,
        )
    # then
    assert refused.value.code == "locker_not_found"


def test_a_malformed_code_is_refused_and_not_counted(hall):
    # given
    case = hall.awaiting()
    services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    # when
    with pytest.raises(DomainError) as refused:
        services.locker_pickup(
            actor=hall.device,
            locker_id=hall.locker.pk,
            person_id=hall.office.applicant.pk,
            code="12ab",
            now=NOW,
        )
    # then
    assert refused.value.code == "invalid_code"
    assert Deposit.objects.get().failed_attempts == 0


def test_a_stuck_door_changes_nothing(hall, doors):
    # given
    case = hall.awaiting()
    doors.jammed.add(hall.locker.compartments.get(label="A01").pk)
    # when
    with pytest.raises(DomainError) as refused:
        services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    # then
    assert refused.value.code == "device_fault"
    assert Deposit.objects.count() == 0


def test_uncollected_after_seven_days_goes_back_to_the_window_once(hall):
    # given
    case = hall.awaiting()
    made = services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    later = NOW + timedelta(days=7, minutes=1)
    # when
    first = services.deposits_recover_uncollected(now=later)
    second = services.deposits_recover_uncollected(now=later)
    # then
    assert (first, second) == (1, 0)
    assert Deposit.objects.get().state == DepositState.RECOVERED
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_DELIVERY
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 3
    # the old code now says where the result is, and the compartment is free again
    with pytest.raises(NotFound) as expired:
        services.locker_pickup(
            actor=hall.device,
            locker_id=hall.locker.pk,
            person_id=hall.office.applicant.pk,
            code=made.code,
            now=later,
        )
    assert expired.value.code == "moved_to_window"
    other = hall.awaiting()
    again = services.deposit_make(actor=hall.clerk, case_id=other.pk, size="S", now=later)
    assert again.deposit.compartment_id == made.deposit.compartment_id


def test_the_sweep_leaves_a_recent_deposit_alone(hall):
    # given
    case = hall.awaiting()
    services.deposit_make(actor=hall.clerk, case_id=case.pk, size="S", now=NOW)
    # when
    recovered = services.deposits_recover_uncollected(now=NOW + timedelta(days=6))
    # then
    assert recovered == 0
    assert Deposit.objects.get().state == DepositState.WAITING


def test_handover_at_the_window_needs_the_applicants_card(hall):
    # given
    case = hall.awaiting(delivery_method="window")
    stranger = person_build()
    # when
    with pytest.raises(DomainError) as refused:
        services.handover_at_window(actor=hall.clerk, case_id=case.pk, person_id=stranger.pk)
    done = services.handover_at_window(
        actor=hall.clerk, case_id=case.pk, person_id=hall.office.applicant.pk
    )
    # then
    assert refused.value.code == "not_the_applicant"
    assert done.state == CaseState.DELIVERED


def test_a_courier_dispatch_delivers_when_confirmed(hall):
    # given
    case = hall.awaiting(delivery_method="courier")
    # when
    shipment = services.shipment_dispatch(
        actor=hall.clerk, case_id=case.pk, carrier="EMS", tracking_number="EMS1234567890"
    )
    waiting = Case.objects.get(pk=case.pk).state
    services.shipment_confirm(actor=hall.clerk, shipment_id=shipment.pk)
    # then
    assert waiting == CaseState.AWAITING_DELIVERY
    assert Case.objects.get(pk=case.pk).state == CaseState.DELIVERED


def test_a_bad_tracking_number_records_nothing(hall):
    # given
    case = hall.awaiting(delivery_method="courier")
    # when
    with pytest.raises(DomainError) as refused:
        services.shipment_dispatch(
            actor=hall.clerk, case_id=case.pk, carrier="EMS", tracking_number="no!"
        )
    # then
    assert refused.value.code == "invalid_tracking"
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
