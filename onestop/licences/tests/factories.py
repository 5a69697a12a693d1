"""E-licences built through the real services: the demo's licence types, licences issued by
their departments' approvers, states reached by the status services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onestop.core.access import Role
from onestop.core.departments import departments_load
from onestop.core.models import Department
from onestop.core.regions import regions_load
from onestop.identity.tests import factories as accounts
from onestop.licences import services
from onestop.licences.demo import DEMO_TYPES, licence_types_seed_demo
from onestop.licences.models import Licence


def code_of(name: str) -> str:
    return next(spec.code for spec in DEMO_TYPES if spec.name == name)


RESIDENCE = "居住证"
PROPERTY = "不动产权证书"
BUSINESS = "营业执照"


def catalog() -> None:
    regions_load()
    departments_load()
    licence_types_seed_demo(actor=None)


def approver(department_code: str) -> Any:
    department = Department.objects.get(code=department_code)
    return accounts.StaffFactory.create(
        roles=[{"role": Role.DEPARTMENT_APPROVER, "department": department}]
    )


def department_of(type_name: str) -> str:
    return next(spec.department for spec in DEMO_TYPES if spec.name == type_name)


def residence_face(name: str = "陈晓明") -> dict[str, str]:
    return {"name": name, "sex": "男", "born_on": "1990-05-01", "address": "广州市天河区天河路1号"}


@dataclass
class Issued:
    licence: Licence
    holder: Any
    officer: Any


def residence_permit(holder: Any = None, **options: Any) -> Issued:
    """A residence permit for a registered citizen (their wallet shows it), issued by an
    approver of the public security bureau."""
    from onestop.core import pii

    holder = holder or accounts.citizen()
    person = holder.person
    officer = approver(department_of(RESIDENCE))
    licence = services.licence_issue(
        actor=officer,
        type_code=code_of(RESIDENCE),
        holder_code=pii.reveal(person, "id_number"),
        holder_name=person.name,
        face=residence_face(person.name),
        **options,
    )
    return Issued(licence, holder, officer)


def business_licence(**options: Any) -> Issued:
    enterprise = accounts.EnterpriseFactory.create()
    officer = approver(department_of(BUSINESS))
    licence = services.licence_issue(
        actor=officer,
        type_code=code_of(BUSINESS),
        holder_code=enterprise.uscc,
        holder_name=enterprise.name,
        face={
            "name": enterprise.name,
            "kind": "有限责任公司",
            "legal_representative": "黄志强",
            "registered_capital": "100万元",
            "established_on": "2020-01-02",
            "address": "广州市天河区华夏路10号",
            "scope": "技术服务",
        },
        **options,
    )
    return Issued(licence, enterprise, officer)
