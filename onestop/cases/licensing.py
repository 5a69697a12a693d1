"""Cases and e-licences (电子证照, decision 0036): a decision that grants issues the licence
its item produces, and a material a licence can replace is taken from the applicant's valid
licence instead of an upload (用证), filed as an annotated copy (加注件).

Cases sits above licences: everything here goes through `licences.services` and
`licences.selectors`, inside the transaction of the case's own service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from onestop.cases.enums import CaseResult, Provision
from onestop.cases.models import Case, CaseMaterial
from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import DomainError
from onestop.core.ids import resident_id_birth_date, resident_id_sex
from onestop.licences import selectors as licences
from onestop.licences import services as licence_services
from onestop.licences.enums import HolderCategory

# The decisions that grant what was applied for, and so issue its licence.
GRANTS = frozenset({CaseResult.APPROVED, CaseResult.APPROVED_WITH_CONDITIONS})
# Face fields (照面) a case fills by their key, whatever the licence type.
_NAME_KEYS = frozenset({"name", "holder", "holder_name", "owner", "operator", "builder"})


@dataclass(frozen=True)
class _Holder:
    code: str
    name: str


def _holder(case: Case, category: str) -> _Holder:
    """Who the licence is issued to: the applying person for a natural person's licence,
    the applying enterprise for the others."""
    if category == HolderCategory.NATURAL_PERSON:
        person = case.applicant_person
        if person is None:
            raise DomainError(
                "licence_holder_missing",
                "This licence is issued to a person: the case has no person applying.",
            )
        return _Holder(pii.reveal(person, "id_number"), person.name)
    enterprise = case.applicant_enterprise
    if enterprise is None:
        raise DomainError(
            "licence_holder_missing",
            "This licence is issued to an enterprise: the case has no enterprise applying.",
        )
    return _Holder(enterprise.uscc, enterprise.name)


def licence_face(
    case: Case, layout: list[dict[str, Any]], holder: _Holder, now: datetime
) -> dict[str, str]:
    """The face fields a case can fill: the holder's name, sex and date of birth (from the
    resident ID), the item, the case number, the day of the decision and its conditions.
    Fields it cannot fill stay empty; a required one makes issuance refuse the decision."""
    decided = timezone.localdate(now).isoformat()
    is_person = case.applicant_person_id is not None and len(holder.code) == 18
    values: dict[str, str] = {}
    for entry in layout:
        key = entry["key"]
        if key in _NAME_KEYS:
            values[key] = holder.name
        elif key == "sex" and is_person and holder.code[:17].isdigit():
            values[key] = "男" if resident_id_sex(holder.code) == "M" else "女"
        elif key == "born_on" and is_person and holder.code[:17].isdigit():
            values[key] = resident_id_birth_date(holder.code).isoformat()
        elif key in ("item", "project", "permitted_item"):
            values[key] = case.item_name
        elif key == "case_number":
            values[key] = case.number or ""
        elif key in ("approved_on", "decided_on", "issued_on"):
            values[key] = decided
        elif key == "conditions" and case.result == CaseResult.APPROVED_WITH_CONDITIONS:
            values[key] = case.result_reason
    return {key: value for key, value in values.items() if value}


def licences_issue_for_decision(
    *, actor: Actor | None, case: Case, now: datetime, face: dict[str, Any] | None = None
) -> list[str]:
    """Issue, in the decision's transaction, the licence of each type the case's item
    produces; signed once the decision commits. The identifiers issued."""
    if case.result not in GRANTS:
        return []
    issued = []
    for licence_type in licences.licence_types_for_item(case.item_key):
        holder = _holder(case, licence_type.holder_category)
        values = {**licence_face(case, licence_type.face_layout, holder, now), **(face or {})}
        licence = licence_services.licence_issue(
            actor=actor,
            type_code=licence_type.code,
            holder_code=holder.code,
            holder_name=holder.name,
            face=values,
            case_id=case.pk,
            sign_after_commit=True,
        )
        issued.append(licence.identifier)
    return issued


# --- Reuse instead of paper ---------------------------------------------------------------------


def _label(case: Case) -> str:
    return f"{case.item_name} {case.number}" if case.number else case.item_name


def line_types(line: CaseMaterial) -> list[Any]:
    if line.material is None:
        return []
    return licences.licence_types_for_material(line.material.name, line.material.e_licence_type)


def line_offers(case: Case, line: CaseMaterial) -> list[Any]:
    """The applicant's valid licences that can stand in for this line, newest first."""
    types = line_types(line)
    if not types:
        return []
    return licences.licences_offered(
        person_id=case.applicant_person_id,
        enterprise_id=case.applicant_enterprise_id,
        types=types,
    )


def licence_use(
    *, actor: Actor, case: Case, line: CaseMaterial, identifier: str, now: datetime
) -> Any:
    """File the applicant's licence for the line (checked by the licence service: it
    exists, is valid, is the applicant's, and its type replaces the material)."""
    material = line.material
    return licence_services.licence_use(
        actor=actor,
        identifier=identifier,
        case_id=case.pk,
        case_label=_label(case),
        material_name=line.name,
        e_licence_type=material.e_licence_type if material is not None else "",
        holder_person_id=case.applicant_person_id,
        holder_enterprise_id=case.applicant_enterprise_id,
        purpose=case.item_name,
        now=now,
    )


def materials_from_licences(*, actor: Actor, case: Case, now: datetime) -> int:
    """Provide each required line the applicant's valid licences cover with the newest of
    them, so the application never asks for it; an annotated copy is filed for each. The
    lines provided."""
    provided = 0
    lines = case.materials.select_related("material").filter(
        provision=Provision.MISSING, required=True
    )
    for line in lines:
        offers = line_offers(case, line)
        if not offers:
            continue
        licence_use(actor=actor, case=case, line=line, identifier=offers[0].identifier, now=now)
        line.provision = Provision.E_LICENCE
        line.e_licence_ref = offers[0].identifier
        line.updated_at = now
        line.save(update_fields=["provision", "e_licence_ref", "updated_at"])
        provided += 1
    return provided


def case_licences_context(case: Case, materials: list[CaseMaterial]) -> dict[str, Any]:
    """What the case's page shows of e-licences: those its decision issued, the annotated
    copies filed in it (by material name), and the applicant's licences each line could
    use (by line id, only while the materials may still change)."""
    uses = licences.licence_uses_of_case(case.pk)
    by_ref = {use.identifier: use for use in uses}
    editable = case.state in ("draft", "pre_review", "correction")
    return {
        "licences_issued": licences.licences_of_case(case.pk),
        "licence_uses": uses,
        "material_rows": [
            (
                line,
                line_offers(case, line) if editable and line.provision != Provision.HELD else [],
                by_ref.get(line.e_licence_ref) if line.e_licence_ref else None,
            )
            for line in materials
        ],
    }


def materials_covered(person_id: int | None, materials: list[Any]) -> dict[int, Any]:
    """The required materials of an item (catalog rows) the person's valid licences cover,
    by material id, each with the licence an application would take: what the online form
    says it does not ask for."""
    covered: dict[int, Any] = {}
    if person_id is None:
        return covered
    for material in materials:
        if material.requirement != "required":
            continue
        types = licences.licence_types_for_material(material.name, material.e_licence_type)
        offers = licences.licences_offered(person_id=person_id, enterprise_id=None, types=types)
        if offers:
            covered[material.pk] = offers[0]
    return covered
