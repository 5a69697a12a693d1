"""The demo's pickup locker (自助取件柜): one at the demo centre, beside the issuance window,
with small, medium and large compartments. Re-running changes nothing."""

from __future__ import annotations

from onestop.centres.selectors import centre_get
from onestop.delivery import services
from onestop.delivery.models import Locker
from onestop.identity.actors import StaffUser

DEMO_LOCKER = "GZ-TH-L1"
DEMO_COMPARTMENTS = {
    "S": ["A01", "A02", "A03", "A04"],
    "M": ["B01", "B02", "B03"],
    "L": ["C01", "C02"],
}


def delivery_seed_demo(*, actor: StaffUser, centre_code: str = "gz-th") -> int:
    """The demo locker at `centre_code`; the number of lockers created (0 when it is there)."""
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
    return 1
