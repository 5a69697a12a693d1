"""The demo's pickup locker (自助取件柜): one at the demo centre, beside the issuance window,
with small, medium and large compartments, and the demo citizen's result (13800138000)
already in it: the clerk put it there, and the SMS with its six-digit pickup code is in the
outbox (the serve console prints it; the admin's outbox shows it). Re-running changes
nothing."""

from __future__ import annotations

from onestop.cases import selectors as cases
from onestop.cases.enums import DeliveryMethod
from onestop.centres.selectors import centre_get
from onestop.delivery import services
from onestop.delivery.enums import CompartmentSize
from onestop.delivery.models import Locker
from onestop.identity import selectors as identity
from onestop.identity.actors import StaffUser

DEMO_LOCKER = "GZ-TH-L1"
DEMO_COMPARTMENTS = {
    "S": ["A01", "A02", "A03", "A04"],
    "M": ["B01", "B02", "B03"],
    "L": ["C01", "C02"],
}
DEMO_CITIZEN_PHONE = "13800138000"


def delivery_seed_demo(*, actor: StaffUser, centre_code: str = "gz-th") -> int:
    """The demo locker at `centre_code`; the number of lockers created (0 when it is there).
    When it is made, the demo citizen's results waiting for the locker go into it."""
    centre = centre_get(centre_code)
    if Locker.objects.filter(centre=centre, code=DEMO_LOCKER).exists():
        return 0
    services.locker_create(
        actor=actor,
        centre_id=centre.pk,
        code=DEMO_LOCKER,
        name="一楼自助取件柜",
        location="一楼出件窗口旁",
        compartments=DEMO_COMPARTMENTS,
    )
    _citizen_results_deposit(centre.pk)
    return 1


def _citizen_results_deposit(centre_id: int) -> None:
    clerk = identity.account_find_by_username("clerk")
    owner = identity.person_find_by_phone(DEMO_CITIZEN_PHONE)
    if not isinstance(clerk, StaffUser) or owner is None:
        return
    waiting = cases.case_issuance_list(clerk, centre_id).filter(
        delivery_method=DeliveryMethod.LOCKER, applicant_person_id=owner.pk
    )
    for case in waiting:
        services.deposit_make(actor=clerk, case_id=case.pk, size=CompartmentSize.SMALL)
