"""Competent departments (主管部门): the city's departments and their district bureaus.

The demo catalogue in `fixtures/departments.csv` has real Guangzhou city departments by
their real names, and for those that have district bureaus in reality, a template for the
bureau's name in each district (广州市公安局天河区分局, 广州市天河区市场监督管理局, ...).
Their unified social credit codes (统一社会信用代码, USCC) are NOT the real ones: each is
generated from a seed of the department's code, so it is valid under GB 32100, stable
across runs, and the same on every machine.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound
from onestop.core.ids import uscc_generate
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.core.regions import CITY_CODE, LoadReport
from onestop.core.service import audited

CATALOGUE = Path(__file__).resolve().parent / "fixtures" / "departments.csv"
_UPDATED_FIELDS = ["name", "short_name", "region", "parent", "uscc"]


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    short_name: str
    region_code: str
    parent_code: str
    uscc: str


def _generated_uscc(code: str, region_code: str, kind: str) -> str:
    # Seeded by the department's code: the same code always gets the same USCC.
    rng = random.Random(f"onestop.department:{code}")  # noqa: S311 - demo data, not a secret
    return uscc_generate(rng, region_code=region_code.ljust(6, "0"), authority="1", kind=kind)


def _catalogue_entries(districts: list[Region]) -> list[_Entry]:
    """The city departments, then one bureau per district for each that has bureaus."""
    entries: list[_Entry] = []
    with CATALOGUE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, kind = row["code"], row["uscc_kind"]
            entries.append(
                _Entry(
                    code=code,
                    name=row["name"],
                    short_name=row["short_name"],
                    region_code=CITY_CODE,
                    parent_code="",
                    uscc=_generated_uscc(code, CITY_CODE, kind),
                )
            )
            if not row["bureau_name"]:
                continue
            for district in districts:
                bureau_code = f"{code}-{district.code}"
                entries.append(
                    _Entry(
                        code=bureau_code,
                        name=row["bureau_name"].format(district=district.name),
                        short_name=row["bureau_short_name"].format(district=district.name),
                        region_code=district.code,
                        parent_code=code,
                        uscc=_generated_uscc(bureau_code, district.code, kind),
                    )
                )
    return entries


@audited("departments.load")
def departments_load(*, actor: Actor | None = None) -> LoadReport:
    """Load the demo catalogue of city departments and district bureaus, matched by code.

    Needs the regions loaded first. A second run creates nothing twice; it leaves
    `is_active` as an administrator set it.
    """
    regions = {
        region.code: region
        for region in Region.objects.filter(
            code__startswith=CITY_CODE, level__lte=RegionLevel.DISTRICT
        )
    }
    districts = sorted(
        (region for region in regions.values() if region.level == RegionLevel.DISTRICT),
        key=lambda region: region.code,
    )
    if CITY_CODE not in regions or not districts:
        raise DomainError(
            ErrorCode.UNKNOWN_REGION,
            _("The city %(code)s and its districts are not loaded: load the regions first.")
            % {"code": CITY_CODE},
            region_code=CITY_CODE,
        )
    entries = _catalogue_entries(districts)

    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            department.code: department
            for department in Department.objects.filter(
                code__in=[entry.code for entry in entries]
            ).select_for_update()
        }
        # City departments first, so each bureau's parent has its primary key.
        for is_bureau in (False, True):
            new: list[Department] = []
            changed: list[Department] = []
            for entry in entries:
                if bool(entry.parent_code) != is_bureau:
                    continue
                values = {
                    "name": entry.name,
                    "short_name": entry.short_name,
                    "region_id": regions[entry.region_code].pk,
                    "parent_id": existing[entry.parent_code].pk if entry.parent_code else None,
                    "uscc": entry.uscc,
                }
                department = existing.get(entry.code)
                if department is None:
                    department = Department(code=entry.code, **values)
                    new.append(department)
                    existing[entry.code] = department
                elif any(getattr(department, key) != value for key, value in values.items()):
                    for key, value in values.items():
                        setattr(department, key, value)
                    changed.append(department)
                else:
                    unchanged += 1
            Department.objects.bulk_create(new, batch_size=500)
            Department.objects.bulk_update(changed, _UPDATED_FIELDS, batch_size=500)
            created += len(new)
            updated += len(changed)
        city_count = sum(1 for entry in entries if not entry.parent_code)
        report = LoadReport(
            created=created,
            updated=updated,
            unchanged=unchanged,
            by_level={"city": city_count, "district": len(entries) - city_count},
        )
        audit_record(
            actor=actor,
            action="departments.load",
            object_type="core.department",
            after=report.as_dict(),
        )
    return report


# --- Selectors -------------------------------------------------------------------------------


def department_get(code: str) -> Department:
    department = Department.objects.select_related("region", "parent").filter(code=code).first()
    if department is None:
        raise NotFound(
            ErrorCode.UNKNOWN_DEPARTMENT,
            _("No department has the code %(code)s.") % {"code": code},
            department_code=code,
        )
    return department


def departments_in(region: Region, *, include_descendants: bool = True) -> QuerySet[Department]:
    """Departments seated in the region, and by default in the regions below it."""
    departments = Department.objects.select_related("region")
    if include_descendants:
        return departments.filter(region__code__startswith=region.code)
    return departments.filter(region=region)


def department_bureaus(department: Department) -> QuerySet[Department]:
    """The district bureaus that answer to a city department, by district."""
    return (
        Department.objects.filter(parent=department)
        .select_related("region")
        .order_by("region__code")
    )
