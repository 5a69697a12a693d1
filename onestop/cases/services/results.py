"""After the decision: the result is produced, sent to the issuing side, delivered at the
window, by locker or by courier, and the case archived."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onestop.cases import selectors
from onestop.cases.enums import CASE, CaseAction, CaseState, ErrorCode
from onestop.cases.models import Case, CourierAddress
from onestop.cases.policies import Perm
from onestop.cases.services._moves import milestone_text, move, notify, rating_invite, reason_text
from onestop.cases.values import Courier
from onestop.core import pii
from onestop.core.errors import Conflict
from onestop.core.service import audited
from onestop.identity.actors import HallDevice, StaffUser


@audited("cases.case.produce_result", timeline=True)
def case_result_produce(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """The result (licence, certificate, decision letter) is made and sent to the issuing
    side."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    return move(
        case, to=CaseState.RESULT_PRODUCED, action=CaseAction.PRODUCE_RESULT, actor=actor, now=now
    )


@audited("cases.case.dispatch", timeline=True)
def case_dispatch(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """The issuance window of the accepting centre has the result: it waits for delivery."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    move(case, to=CaseState.AWAITING_DELIVERY, action=CaseAction.DISPATCH, actor=actor, now=now)
    notify(
        case,
        "dispatch",
        milestone_text(case, gettext_noop("The result of case %(number)s is ready for you.")),
    )
    return case


@audited("cases.case.deliver", timeline=True)
def case_deliver(
    *, actor: StaffUser | HallDevice, case_id: int, note: str = "", now: datetime | None = None
) -> Case:
    """The applicant has the result: at the window, from the centre's pickup locker (the
    locker, a hall device, delivers), or by a courier whose delivery was confirmed."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.DELIVER, for_update=True)
    move(
        case,
        to=CaseState.DELIVERED,
        action=CaseAction.DELIVER,
        actor=actor,
        now=now,
        fields={"delivered_at": now, "closed_at": now},
        reason=reason_text(note, required=False),
    )
    rating_invite(case)
    return case


@audited("cases.case.dispatch", timeline=True)
def case_delivery_note(
    *,
    actor: StaffUser | None,
    case_id: int,
    note: str,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """A step of the delivery of a result awaiting it, on the case's timeline (put in a
    locker, sent by courier, moved back to the window): not a move."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.DELIVER, for_update=True)
    if case.state != CaseState.AWAITING_DELIVERY:
        CASE.check(case, CaseState.DELIVERED)
    CASE.record(
        case,
        action=CaseAction.DISPATCH,
        actor=actor,
        at=now,
        reason=reason_text(note),
        detail=dict(detail or {}),
    )
    return case


@audited("cases.case.courier_reveal", timeline=True)
def case_courier_address_reveal(
    *, actor: StaffUser, case_id: int, now: datetime | None = None
) -> Courier:
    """The courier's details in full, for the clerk of the case's centre who writes the
    waybill, while the result waits to be sent. Each reading is on the case's timeline (the
    applicant sees that their address was read, and by which window) and in the audit log, in
    the transaction that decrypts."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    row = CourierAddress.objects.filter(case=case).first()
    if case.state != CaseState.AWAITING_DELIVERY or row is None:
        raise Conflict(
            ErrorCode.COURIER_ADDRESS,
            _("The address is shown only for a result waiting to be sent by courier."),
        )
    CASE.record(case, action=CaseAction.COURIER_REVEAL, actor=actor, at=now)
    return Courier(
        pii.reveal(row, "recipient"), pii.reveal(row, "phone"), pii.reveal(row, "address")
    )


@audited("cases.case.archive", timeline=True)
def case_archive(*, actor: StaffUser | None, case_id: int, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    perm = Perm.REVIEW if actor is not None else Perm.SWEEP
    case = selectors.access_case(actor, case_id, perm, for_update=True)
    return move(case, to=CaseState.ARCHIVED, action=CaseAction.ARCHIVE, actor=actor, now=now)
