"""Cases built through the real services: a case "in review" is made by starting one at a
window, accepting it and taking it, never by writing its state."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from onestop.cases import services
from onestop.cases.models import Case
from onestop.catalog.tests import factories as catalog
from onestop.core.access import Role
from onestop.core.departments import departments_load
from onestop.core.models import Department
from onestop.core.regions import regions_load
from onestop.hall.tests.factories import centre as centre_build
from onestop.hall.tests.factories import person as person_build
from onestop.hall.tests.factories import staff_at
from onestop.identity.tests import factories as accounts

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def moment(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


# Tuesday 1 December 2026, a working day.
NOW = moment(2026, 12, 1)


def reference() -> None:
    regions_load()
    departments_load()


def staff_of_department(role: Role, department_code: str) -> Any:
    department = Department.objects.get(code=department_code)
    return accounts.StaffFactory.create(roles=[{"role": role, "department": department}])


@dataclass
class Office:
    """A centre with a clerk, an item of a department, the department's approvers and head."""

    centre: Any
    clerk: Any
    item: Any
    approver: Any
    other_approver: Any
    head: Any
    applicant: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def start(self, *, now: datetime = NOW, item_key: str = "", **options: Any) -> Case:
        return services.case_start_at_window(
            actor=self.clerk,
            centre_id=self.centre.pk,
            item_key=item_key or self.item.item_key,
            applicant=services.Applicant(person_id=self.applicant.pk),
            now=now,
            **options,
        )

    def complete(self, case: Case, *, now: datetime = NOW) -> Case:
        """Every required line provided: uploads for the first, paper for the others."""
        for line in case.materials.filter(required=True, provision="missing"):
            assert line.material_id is not None
            services.case_material_upload(
                actor=self.clerk,
                case_id=case.pk,
                material_id=line.material_id,
                content=io.BytesIO(PDF),
                filename="id.pdf",
                now=now,
            )
        case.refresh_from_db()
        return case

    def accepted(self, *, now: datetime = NOW, **options: Any) -> Case:
        case = self.complete(self.start(now=now, **options), now=now)
        return services.case_accept(actor=self.clerk, case_id=case.pk, now=now)

    def in_review(self, *, now: datetime = NOW, **options: Any) -> Case:
        case = self.accepted(now=now, **options)
        return services.case_review_start(actor=self.approver, case_id=case.pk, now=now)

    def ready_to_decide(self, *, now: datetime = NOW, **options: Any) -> Case:
        case = self.in_review(now=now, **options)
        return services.case_step_complete(actor=self.approver, case_id=case.pk, now=now)


def office(*, department_code: str = "GZ-GAJ", **item_options: Any) -> Office:
    reference()
    place = centre_build()
    item_options.setdefault("department_ref", department_code)
    item = catalog.published_item(**item_options)
    return Office(
        centre=place,
        clerk=staff_at(place, Role.WINDOW_CLERK),
        item=item,
        approver=staff_of_department(Role.DEPARTMENT_APPROVER, department_code),
        other_approver=staff_of_department(Role.DEPARTMENT_APPROVER, department_code),
        head=staff_of_department(Role.DEPARTMENT_HEAD, department_code),
        applicant=person_build(),
    )
