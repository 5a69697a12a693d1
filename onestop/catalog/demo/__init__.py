"""The demo catalog: the real Guangdong items, and district, street and village versions of
the items that exist at those levels, on the city's real regions (see `plan`).

`catalog_build_demo` does it all in one call and is safe to repeat: the second run finds
everything in place and changes nothing.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from onestop.catalog.demo.plan import (
    DELEGATIONS,
    DISTRICT_HOURS,
    HOTLINE,
    STATION_HOURS,
)
from onestop.catalog.enums import ErrorCode, ItemLevel, ItemSource
from onestop.catalog.importing.files import open_table
from onestop.catalog.importing.layouts import GUANGDONG, NATIVE, detect
from onestop.catalog.importing.loader import ImportReport, items_load
from onestop.catalog.importing.records import ItemDraft
from onestop.catalog.selectors import item_counts_by_level
from onestop.catalog.services import FIXTURES, REAL_ITEMS, catalog_real_load
from onestop.core.errors import DomainError
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.identity.actors import StaffUser

LOCAL_ITEMS = FIXTURES / "demo_local_items.csv"

# Writing functions excused from @audited (tests/test_conventions.py), and why.
NOT_AUDITED = {
    "catalog_build_demo": "each district loads in a transaction of its own through items_load, "
    "and every load it makes (regions, departments, aliases, items) is an audited service",
}


@dataclass
class DemoReport:
    real: ImportReport
    local: list[ImportReport] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def items_written(self) -> int:
        return (
            self.real.created + self.real.updated + sum(r.created + r.updated for r in self.local)
        )

    @property
    def items_processed(self) -> int:
        return self.real.rows + sum(r.rows for r in self.local)

    @property
    def items_per_second(self) -> float:
        return round(self.items_processed / self.seconds, 1) if self.seconds else 0.0

    def lines(self) -> list[str]:
        local_rows = sum(r.rows for r in self.local)
        return [
            f"real items: {self.real.rows} rows, {self.real.created} created, "
            f"{self.real.updated} updated, {self.real.unchanged} unchanged, "
            f"{len(self.real.rejected)} rejected",
            *(f"  {problem}" for problem in self.real.rejected),
            f"local versions: {local_rows} rows, "
            f"{sum(r.created for r in self.local)} created, "
            f"{sum(r.updated for r in self.local)} updated, "
            f"{sum(r.unchanged for r in self.local)} unchanged",
        ]

    def summary(self) -> str:
        c = self.counts
        total = sum(c.get(level, 0) for level in ItemLevel.values)
        return (
            f"published items: {c.get('province', 0)} provincial, {c.get('city', 0)} city, "
            f"{c.get('district', 0)} district, {c.get('street', 0)} street/town, "
            f"{c.get('community', 0)} community/village ({total} in all); "
            f"{self.seconds:.1f} s, {self.items_per_second} items/s"
        )


@dataclass(frozen=True)
class _Template:
    draft: ItemDraft
    levels: tuple[str, ...]
    city_department: str


def _templates() -> list[_Template]:
    """The local items file, read with the native layout's parser and checks."""
    with open_table(LOCAL_ITEMS, file_format="csv") as table:
        layout = detect(table.header, wanted=NATIVE)
        if isinstance(layout, list):
            raise DomainError(ErrorCode.DEMO_PREREQUISITE, "; ".join(layout))
        rows = list(table.rows)
    templates: list[_Template] = []
    problems: list[str] = []
    for row in rows:
        parsed = layout.parse(row, layout.columns)
        levels = tuple(level.strip() for level in row.cells.get("levels", "").split("｜"))
        if isinstance(parsed, list) or not set(levels) <= set(ItemLevel.values):
            problems.append(
                f"{LOCAL_ITEMS.name}:{row.line}: {parsed if isinstance(parsed, list) else levels}"
            )
            continue
        templates.append(_Template(parsed, levels, parsed.department_ref))
    if problems:
        raise DomainError(ErrorCode.DEMO_PREREQUISITE, "\n".join(problems))
    return templates


def _delegated() -> list[_Template]:
    """The real items that district bureaus (and street stations) also handle."""
    with open_table(REAL_ITEMS, file_format="csv") as table:
        layout = detect(table.header, wanted=GUANGDONG)
        assert not isinstance(layout, list)
        drafts = [layout.parse(row, layout.columns) for row in table.rows]
    templates: list[_Template] = []
    for delegation in DELEGATIONS:
        only = re.compile(delegation.only) if delegation.only else None
        leave_out = re.compile(delegation.leave_out)
        for draft in drafts:
            if isinstance(draft, list) or draft.authority_name != delegation.source_department:
                continue
            if leave_out.search(draft.name) or (only is not None and not only.search(draft.name)):
                continue
            templates.append(_Template(draft, delegation.levels, delegation.department_code))
    return templates


def _village_short(name: str) -> str:
    return re.sub(r"(居民委员会|村民委员会|委员会)$", "", name)


def _instance(
    template: _Template,
    *,
    level: str,
    region: Region,
    bureau: Department,
    place: str,
    hours: str,
) -> ItemDraft:
    source = template.draft
    # The implementing body's code leads an implementation code. A district bureau has one;
    # street offices and village committees are not in the demo's departments, so their
    # versions carry the region code in its place (documented as synthetic).
    prefix = bureau.uscc if level == ItemLevel.DISTRICT else region.code.ljust(18, "0")
    if source.source == ItemSource.GUANGDONG:
        implementation = prefix + source.implementation_code[18:]
        handling = prefix + source.handling_code[18:] if source.handling_code else ""
    else:
        implementation = f"{prefix}2{source.basic_code}"
        handling = ""
    return dataclasses.replace(
        source,
        line=0,
        item_key=f"{source.item_key}-{region.code}",
        implementation_code=implementation,
        handling_code=handling,
        level=level,
        region_ref=region.code,
        department_ref=bureau.code,
        department_ref_kind="code",
        authority_name=bureau.name,
        location=place,
        office_hours=hours,
        consult_phone=HOTLINE,
        complaint_phone=HOTLINE,
        online_url="",
        source=ItemSource.DEMO,
    )


def _district_drafts(
    district: Region, templates: list[_Template], bureaus: dict[str, Department]
) -> Iterator[ItemDraft]:
    streets = list(Region.objects.filter(parent=district, is_administrative=True).order_by("code"))
    villages = list(
        Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=district.code)
        .select_related("parent")
        .order_by("code")
    )

    def bureau(template: _Template) -> Department:
        code = f"{template.city_department}-{district.code}"
        if code not in bureaus:
            raise DomainError(
                ErrorCode.DEMO_PREREQUISITE,
                _("%(item)s: the department %(code)s has no bureau in %(district)s")
                % {
                    "item": template.draft.item_key,
                    "code": template.city_department,
                    "district": district.name,
                },
            )
        return bureaus[code]

    hall = f"广州市{district.name}政务服务中心"
    for template in templates:
        if ItemLevel.DISTRICT in template.levels:
            yield _instance(
                template,
                level=ItemLevel.DISTRICT,
                region=district,
                bureau=bureau(template),
                place=hall,
                hours=DISTRICT_HOURS,
            )
        if ItemLevel.STREET in template.levels:
            for street in streets:
                yield _instance(
                    template,
                    level=ItemLevel.STREET,
                    region=street,
                    bureau=bureau(template),
                    place=f"广州市{district.name}{street.name}政务服务中心",
                    hours=DISTRICT_HOURS,
                )
        if ItemLevel.COMMUNITY in template.levels:
            for village in villages:
                street_name = village.parent.name if village.parent else ""
                yield _instance(
                    template,
                    level=ItemLevel.COMMUNITY,
                    region=village,
                    bureau=bureau(template),
                    place=f"广州市{district.name}{street_name}{_village_short(village.name)}便民服务站",
                    hours=STATION_HOURS,
                )


def catalog_build_demo(
    *, actor: StaffUser | None, district_codes: list[str] | None = None
) -> DemoReport:
    """Load regions and departments if missing, the department aliases, the real items,
    then every district's local versions (one transaction per district). `district_codes`
    limits the local versions to those districts."""
    started = time.perf_counter()
    report = DemoReport(real=catalog_real_load(actor=actor))
    templates = _delegated() + _templates()
    bureaus = {d.code: d for d in Department.objects.filter(parent__isnull=False)}
    districts = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code")
    if district_codes:
        districts = districts.filter(code__in=district_codes)
        unknown = sorted(set(district_codes) - {d.code for d in districts})
        if unknown:
            raise DomainError(
                ErrorCode.REGION_NOT_FOUND,
                _("No district has the code(s) %(codes)s.") % {"codes": ", ".join(unknown)},
                region_codes=unknown,
            )
    for district in districts:
        part = items_load(
            actor=actor,
            rows=_district_drafts(district, templates, bureaus),
            source=f"demo {district.code}",
            layout="demo",
            all_or_nothing=True,
            create_themes=True,
        )
        if not part.loaded:
            raise DomainError(
                ErrorCode.DEMO_PREREQUISITE,
                _("The demo versions for %(district)s cannot be loaded: %(problems)s")
                % {"district": district.name, "problems": "; ".join(map(str, part.rejected[:5]))},
            )
        report.local.append(part)
    report.counts = item_counts_by_level(fresh=True)
    report.seconds = time.perf_counter() - started
    return report
