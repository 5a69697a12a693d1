"""Results awaiting delivery built through the real services of cases, and a locker at the
case's centre built through delivery's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onestop.cases import services as cases
from onestop.cases.models import Case
from onestop.cases.tests.factories import NOW, Office
from onestop.cases.tests.factories import office as office_build
from onestop.cases.values import Courier
from onestop.core import pii
from onestop.core.access import Role
from onestop.delivery import services
from onestop.delivery.models import Locker
from onestop.hall.tests.factories import staff_at


@dataclass
class Issuance:
    office: Office
    locker: Any
    device: Any

    @property
    def clerk(self) -> Any:
        return self.office.clerk

    def awaiting(self, *, delivery_method: str = "locker", phone: str = "13900001111") -> Case:
        options: dict[str, Any] = {}
        if delivery_method == "courier":
            options["courier"] = COURIER
        case = self.office.ready_to_decide(delivery_method=delivery_method, phone=phone, **options)
        approver = self.office.approver
        cases.case_decide(actor=approver, case_id=case.pk, result="approved", now=NOW)
        cases.case_result_produce(actor=approver, case_id=case.pk, now=NOW)
        return cases.case_dispatch(actor=self.clerk, case_id=case.pk, now=NOW)

    def card(self) -> str:
        """What the applicant's ID card reads as on the simulated reader."""
        return pii.reveal(self.office.applicant, "id_number")


COURIER = Courier("李四", "13700002222", "广州市天河区天河路385号太古汇一座1201")


def locker_at(
    centre: Any, *, sizes: dict[str, list[str]] | None = None, code: str = "L1"
) -> Locker:
    return services.locker_create(
        actor=None,
        centre_id=centre.pk,
        code=code,
        name=f"取件柜 {code}",
        compartments=sizes or {"S": ["A01", "A02"], "M": ["B01"], "L": ["C01"]},
    )


def issuance(**sizes: list[str]) -> Issuance:
    office = office_build()
    return Issuance(
        office=office,
        locker=locker_at(office.centre, sizes=sizes or None),
        device=staff_at(office.centre, Role.HALL_DEVICE),
    )
