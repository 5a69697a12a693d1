"""即办: a clerk accepts and decides an on-the-spot item at the window in one go, through
every state of the machine, each on the timeline at the same time."""

from __future__ import annotations

import pytest

from onestop.cases import services
from onestop.cases.enums import CaseState
from onestop.cases.models import Case, CaseEvent, CaseType
from onestop.cases.tests.factories import NOW
from onestop.cases.tests.factories import office as office_build
from onestop.catalog.values import Limit
from onestop.core.access import Role
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import AuditEntry
from onestop.hall.tests.factories import centre as centre_build
from onestop.hall.tests.factories import staff_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def spot(db):
    return office_build(promised=Limit.immediate())


def test_a_clerk_accepts_and_decides_an_on_the_spot_item_through_every_state(spot):
    # given
    case = spot.complete(spot.start())
    # when
    done = services.case_decide_at_window(actor=spot.clerk, case_id=case.pk, now=NOW)
    # then
    assert done.state == CaseState.DELIVERED and done.result == "approved"
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    moves = [(e.from_state, e.to_state) for e in events if e.from_state != e.to_state]
    assert moves[-6:] == [
        ("pre_review", "accepted"),
        ("accepted", "in_review"),
        ("in_review", "decided"),
        ("decided", "result_produced"),
        ("result_produced", "awaiting_delivery"),
        ("awaiting_delivery", "delivered"),
    ]
    assert "step_complete" in [e.action for e in events]
    assert {e.at for e in events if e.action not in {"create", "material"}} == {NOW}
    audited = set(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert {"cases.case.accept", "cases.case.decide", "cases.case.deliver"} <= audited


def test_a_result_for_the_locker_waits_at_the_issuance_window(spot):
    case = spot.complete(spot.start(delivery_method="locker"))
    done = services.case_decide_at_window(actor=spot.clerk, case_id=case.pk, now=NOW)
    assert done.state == CaseState.AWAITING_DELIVERY


def test_an_item_with_a_time_limit_is_refused_and_nothing_changes(office):
    case = office.complete(office.start())
    with pytest.raises(Conflict) as refused:
        services.case_decide_at_window(actor=office.clerk, case_id=case.pk, now=NOW)
    assert refused.value.code == "not_on_the_spot"
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW


def test_missing_materials_are_refused_and_nothing_changes(spot):
    case = spot.start()
    with pytest.raises(DomainError):
        services.case_decide_at_window(actor=spot.clerk, case_id=case.pk, now=NOW)
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW
    assert not CaseEvent.objects.filter(case=case, action="accept").exists()


def test_a_clerk_of_another_centre_or_an_approver_cannot(spot):
    case = spot.complete(spot.start())
    stranger = staff_at(centre_build(), Role.WINDOW_CLERK)
    with pytest.raises(NotFound):
        services.case_decide_at_window(actor=stranger, case_id=case.pk, now=NOW)
    with pytest.raises(NotFound):
        services.case_decide_at_window(actor=spot.approver, case_id=case.pk, now=NOW)
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW


def test_an_accepted_case_cannot_be_decided_again_at_the_window(spot):
    case = spot.complete(spot.start())
    services.case_accept(actor=spot.clerk, case_id=case.pk, now=NOW)
    with pytest.raises(Conflict):
        services.case_decide_at_window(actor=spot.clerk, case_id=case.pk, now=NOW)
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_the_window_page_offers_the_button_and_the_case_page_decides(client, spot):
    case = spot.complete(spot.start())
    client.force_login(spot.clerk)
    window = client.get("/cases/window/").content.decode()
    assert 'class="decide-now"' in window
    answer = client.post(f"/cases/{case.pk}/", {"action": "decide_now"})
    assert answer.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.DELIVERED


def test_an_item_with_a_second_approval_is_not_decided_at_one_window(spot):
    # given: the item's case type asks for a second approver
    CaseType.objects.create(
        item_key=spot.item.item_key, steps=["examine", "second_approval", "decide"]
    )
    case = spot.complete(spot.start())
    # when / then
    with pytest.raises(Conflict) as refused:
        services.case_decide_at_window(actor=spot.clerk, case_id=case.pk, now=NOW)
    assert refused.value.code == "not_on_the_spot"
    assert Case.objects.get(pk=case.pk).state == CaseState.PRE_REVIEW
