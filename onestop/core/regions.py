"""Administrative divisions (行政区划): loading the city's tree, and reading it.

The tree is 市 → 区 → 街道/镇 → 社区/村, identified by the National Bureau of Statistics'
codes (统计用区划代码). Each code begins with its parent's code, so the loader checks it and
the selectors use it: all the descendants of a region are one `code__startswith` away.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.enums import ErrorCode
from onestop.core.errors import DomainError, NotFound
from onestop.core.models import Region
from onestop.core.models.regions import RegionLevel
from onestop.core.service import audited

CITY_CODE = "4401"
CITY_NAME = "广州市"
DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "fixtures" / "regions"

# How long a code is at each level; a region's code is its parent's code plus digits.
CODE_LENGTH: dict[int, int] = {
    RegionLevel.CITY: 4,
    RegionLevel.DISTRICT: 6,
    RegionLevel.STREET: 9,
    RegionLevel.COMMUNITY: 12,
}
# The fixture files, in load order: a parent always comes from an earlier file.
LEVEL_FILES: tuple[tuple[str, RegionLevel], ...] = (
    ("districts.csv", RegionLevel.DISTRICT),
    ("streets.csv", RegionLevel.STREET),
    ("villages.csv", RegionLevel.COMMUNITY),
)
# In the statistics code rules, township-level codes 400-599 are "units similar to a
# township" (类似乡级单位): farms, reservoirs, forest farms. They are not streets or towns.
_STATISTICS_ONLY_STREET_SUFFIXES = range(400, 600)

COUNT_KEYS: dict[int, str] = {
    RegionLevel.CITY: "city",
    RegionLevel.DISTRICT: "district",
    RegionLevel.STREET: "street",
    RegionLevel.COMMUNITY: "community",
}


@dataclass(frozen=True)
class LoadReport:
    """What a reference-data load did, row by row matched on the natural key."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "by_level": dict(self.by_level),
        }


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    parent_code: str
    level: RegionLevel
    is_administrative: bool


def _is_statistics_only_street(code: str) -> bool:
    return int(code[-3:]) in _STATISTICS_ONLY_STREET_SUFFIXES


def _read_rows(directory: Path) -> tuple[list[_Row], list[str]]:
    """Read and check every row of every file; return the rows and every problem found."""
    rows: list[_Row] = [_Row(CITY_CODE, CITY_NAME, "", RegionLevel.CITY, True)]
    seen: dict[str, _Row] = {CITY_CODE: rows[0]}
    errors: list[str] = []
    for filename, level in LEVEL_FILES:
        path = directory / filename
        if not path.is_file():
            errors.append(_("%(file)s: file not found") % {"file": filename})
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"code", "name", "parent_code"} <= set(
                reader.fieldnames
            ):
                errors.append(
                    _("%(file)s:1: the header must be code,name,parent_code") % {"file": filename}
                )
                continue
            for record in reader:
                where = f"{filename}:{reader.line_num}"
                row, problems = _check_row(record, level, seen)
                errors.extend(f"{where}: {problem}" for problem in problems)
                if row is not None:
                    # Kept even when another field is bad, so that its children are not
                    # reported again as orphans: each line names its own problem only.
                    rows.append(row)
                    seen[row.code] = row
    return rows, errors


def _check_row(
    record: dict[str, str | None], level: RegionLevel, seen: dict[str, _Row]
) -> tuple[_Row | None, list[str]]:
    """The row (None if its code is unusable) and the problems found in it."""
    code = (record.get("code") or "").strip()
    name = (record.get("name") or "").strip()
    parent_code = (record.get("parent_code") or "").strip()
    length = CODE_LENGTH[level]
    problems: list[str] = []
    code_ok = code.isascii() and code.isdigit() and len(code) == length
    if not code_ok:
        problems.append(
            _("code %(code)r must be %(length)d digits for a %(level)s")
            % {"code": code, "length": length, "level": level.name.lower()}
        )
    elif code in seen:
        code_ok = False
        problems.append(_("code %(code)s appears twice") % {"code": code})
    if not name:
        problems.append(_("name is empty"))
    parent = seen.get(parent_code)
    if parent is None:
        problems.append(_("parent %(parent)r does not exist") % {"parent": parent_code})
    elif parent.level != level - 1:
        problems.append(
            _("parent %(parent)s is a %(parent_level)s, not one level up")
            % {"parent": parent_code, "parent_level": parent.level.name.lower()}
        )
    elif code_ok and not code.startswith(parent_code):
        problems.append(
            _("code %(code)s does not begin with its parent's code %(parent)s")
            % {"code": code, "parent": parent_code}
        )
    if not code_ok:
        return None, problems
    # Only the two statistics units themselves are flagged: the one "virtual living area"
    # under each is where their residents are registered, and counts as a community.
    is_administrative = not (level == RegionLevel.STREET and _is_statistics_only_street(code))
    return _Row(code, name, parent_code, level, is_administrative), problems


@audited("regions.load")
def regions_load(*, actor: Actor | None = None, directory: Path | None = None) -> LoadReport:
    """Load the city, its districts, streets/towns and communities/villages from CSV files.

    Matched by code: a second run updates what changed and creates nothing twice. Every row
    is checked first; if any is bad, nothing is loaded and the error lists each bad row as
    `file:line: reason`.
    """
    directory = DEFAULT_DIRECTORY if directory is None else Path(directory)
    rows, errors = _read_rows(directory)
    if errors:
        raise DomainError(
            ErrorCode.INVALID_FIXTURE,
            _("The region files in %(directory)s have %(count)d problem(s); nothing was loaded:")
            % {"directory": directory, "count": len(errors)}
            + "\n"
            + "\n".join(errors),
            errors=errors,
        )

    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            region.code: region
            for region in Region.objects.filter(code__startswith=CITY_CODE).select_for_update()
        }
        # Level by level, so each parent has its primary key before its children are built.
        for level in RegionLevel:
            new: list[Region] = []
            changed: list[Region] = []
            for row in rows:
                if row.level != level:
                    continue
                parent_id = existing[row.parent_code].pk if row.parent_code else None
                region = existing.get(row.code)
                if region is None:
                    region = Region(
                        code=row.code,
                        name=row.name,
                        level=row.level,
                        parent_id=parent_id,
                        is_administrative=row.is_administrative,
                    )
                    new.append(region)
                    existing[row.code] = region
                elif (region.name, region.level, region.parent_id, region.is_administrative) != (
                    row.name,
                    row.level,
                    parent_id,
                    row.is_administrative,
                ):
                    region.name = row.name
                    region.level = row.level
                    region.parent_id = parent_id
                    region.is_administrative = row.is_administrative
                    changed.append(region)
                else:
                    unchanged += 1
            # SQLite (3.35+) and PostgreSQL return the new primary keys.
            Region.objects.bulk_create(new, batch_size=500)
            Region.objects.bulk_update(
                changed, ["name", "level", "parent", "is_administrative"], batch_size=500
            )
            created += len(new)
            updated += len(changed)
        report = LoadReport(
            created=created,
            updated=updated,
            unchanged=unchanged,
            by_level={
                COUNT_KEYS[level]: sum(1 for row in rows if row.level == level)
                for level in RegionLevel
            },
        )
        audit_record(
            actor=actor,
            action="regions.load",
            obj=existing[CITY_CODE],
            after=report.as_dict(),
        )
    return report


# --- Selectors -------------------------------------------------------------------------------


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(
            ErrorCode.UNKNOWN_REGION,
            _("No region has the code %(code)s.") % {"code": code},
            region_code=code,
        )
    return region


def region_find(name: str) -> list[Region]:
    """Regions named exactly `name` first, then those whose name contains it."""
    name = name.strip()
    if not name:
        return []
    matches = list(Region.objects.filter(name__contains=name).order_by("level", "code"))
    return sorted(matches, key=lambda region: region.name != name)


def region_ancestors(region: Region) -> list[Region]:
    """From the city down to the region's parent; the codes' prefixes make it one query."""
    prefixes = [
        region.code[:length]
        for level, length in CODE_LENGTH.items()
        if level < region.level and len(region.code) > length
    ]
    return list(Region.objects.filter(code__in=prefixes).order_by("level"))


def region_descendants(region: Region, *, level: int | None = None) -> QuerySet[Region]:
    regions = Region.objects.filter(code__startswith=region.code).exclude(pk=region.pk)
    if level is not None:
        regions = regions.filter(level=level)
    return regions


def region_children(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=region)


def region_districts() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.DISTRICT)


def region_counts() -> dict[str, int]:
    """Administrative regions per level, and how many are statistics-only units."""
    counts = dict.fromkeys(COUNT_KEYS.values(), 0)
    rows = (
        Region.objects.filter(is_administrative=True)
        .values("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[COUNT_KEYS[row["level"]]] = row["n"]
    counts["non_administrative"] = Region.objects.filter(is_administrative=False).count()
    return counts
