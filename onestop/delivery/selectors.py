"""Every read of delivery, scoped to the actor: a locker or shipment outside the actor's
centre answers "not found", so ids cannot be probed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onestop.cases import selectors as cases
from onestop.cases.enums import CaseState
from onestop.cases.policies import Perm as CasePerm
from onestop.core.access import Actor, Place
from onestop.core.errors import NotFound
from onestop.delivery.enums import DepositState, ErrorCode
from onestop.delivery.models import Compartment, Deposit, Locker, Shipment
from onestop.delivery.policies import RULES, Perm


def _pk(value: Any) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if pk > 0 else None


def access_locker(actor: Actor | None, locker_id: Any, perm: str = Perm.PICKUP) -> Locker:
    pk = _pk(locker_id)
    locker = Locker.objects.filter(pk=pk, active=True).first() if pk else None
    if locker is None or not RULES.can(actor, perm, locker.place):
        raise NotFound(ErrorCode.LOCKER_NOT_FOUND, _("There is no such locker."))
    return locker


def access_shipment(actor: Actor | None, shipment_id: Any, *, for_update: bool = False) -> Shipment:
    pk = _pk(shipment_id)
    rows = Shipment.objects.select_related("case")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    shipment = rows.filter(pk=pk).first() if pk else None
    if shipment is None or not RULES.can(actor, Perm.ISSUE, shipment.case.place):
        raise NotFound(ErrorCode.SHIPMENT_NOT_FOUND, _("There is no such shipment."))
    return shipment


def lockers_at(centre_id: int) -> QuerySet[Locker]:
    return Locker.objects.filter(centre_id=centre_id, active=True).order_by("code")


def compartments_of(locker: Locker) -> list[tuple[Compartment, Deposit | None]]:
    """Each compartment with the result waiting in it, if any."""
    waiting = {
        d.compartment_id: d
        for d in Deposit.objects.filter(compartment__locker=locker, state=DepositState.WAITING)
    }
    return [(c, waiting.get(c.pk)) for c in locker.compartments.filter(active=True)]


def issuance_queue(actor: Actor | None, centre_id: int) -> QuerySet[Any]:
    """The centre's results awaiting delivery, oldest first (the issuance window's list)."""
    return (
        cases.case_scope(actor, CasePerm.WINDOW)
        .filter(centre_id=centre_id, state=CaseState.AWAITING_DELIVERY)
        .select_related("item")
        .order_by("decided_at", "id")
    )


def deliveries_of(case_ids: list[int]) -> tuple[dict[int, Deposit], dict[int, Shipment]]:
    """For a page of cases: the waiting deposit and the shipment of each, by case id."""
    deposits = {
        d.case_id: d
        for d in Deposit.objects.filter(
            case_id__in=case_ids, state=DepositState.WAITING
        ).select_related("compartment__locker")
    }
    shipments = {s.case_id: s for s in Shipment.objects.filter(case_id__in=case_ids)}
    return deposits, shipments


def recovered_at(actor: Actor | None, centre_id: int) -> QuerySet[Deposit]:
    """Results moved back from the centre's lockers and not handed over yet, for the
    morning round to take out of their compartments."""
    if not RULES.can(actor, Perm.ISSUE, Place(centre_id=centre_id)):
        return Deposit.objects.none()
    return Deposit.objects.filter(
        compartment__locker__centre_id=centre_id,
        state=DepositState.RECOVERED,
        case__state=CaseState.AWAITING_DELIVERY,
    ).select_related("compartment__locker", "case")[:50]
