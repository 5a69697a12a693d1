"""The hotline's configuration: its 72 lines (from the packaged list), the three-level
taxonomy (imported from a file the administrator holds: the project does not ship it), and
the routing table."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, NotFound
from onestop.core.models import Department, Region
from onestop.core.service import audited
from onestop.hotline.enums import ErrorCode
from onestop.hotline.models import Category, Line, RoutingRule
from onestop.hotline.policies import RULES, Perm

LINES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "lines.csv"
TAXONOMY_COLUMNS = ("level1", "level2", "level3")
NAME_MAX_LENGTH = 60


@dataclass(frozen=True)
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@audited("hotline.lines.load")
def lines_load(*, actor: Actor | None = None, path: Path | None = None) -> LoadCounts:
    """Configure the merged lines from the packaged list (or `path`), matched by code. Needs
    the departments loaded. A second run creates nothing twice and leaves `is_active` and
    hours an administrator changed alone."""
    RULES.require(actor, Perm.CONFIGURE)
    with (path or LINES_FILE).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    departments = {
        d.code: d for d in Department.objects.filter(code__in={r["department_code"] for r in rows})
    }
    missing = sorted({r["department_code"] for r in rows} - set(departments))
    if missing:
        raise DomainError(
            ErrorCode.UNKNOWN_DEPARTMENT,
            _("Load the departments first: %(codes)s are missing.")
            % {"codes": ", ".join(missing[:5])},
        )
    created = updated = unchanged = 0
    existing = {line.code: line for line in Line.objects.select_for_update()}
    for position, row in enumerate(rows):
        values: dict[str, Any] = {
            "number": row["number"],
            "name": row["name"],
            "department": departments[row["department_code"]],
            "position": position,
        }
        line = existing.get(row["code"])
        if line is None:
            Line.objects.create(
                code=row["code"], around_the_clock=row["around_the_clock"] == "1", **values
            )
            created += 1
        elif any(getattr(line, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(line, key, value)
            line.save()
            updated += 1
        else:
            unchanged += 1
    counts = LoadCounts(created, updated, unchanged)
    audit_record(
        actor=actor, action="hotline.lines.load", object_type="hotline.line", after=counts.as_dict()
    )
    return counts


def _taxonomy_rows(path: Path) -> list[tuple[str, str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != TAXONOMY_COLUMNS:
                raise DomainError(
                    ErrorCode.INVALID_TAXONOMY,
                    _("The taxonomy file must have the columns level1, level2, level3."),
                )
            rows = []
            for number, row in enumerate(reader, start=2):
                names = tuple(" ".join((row[c] or "").split()) for c in TAXONOMY_COLUMNS)
                if not all(names) or any(len(name) > NAME_MAX_LENGTH for name in names):
                    raise DomainError(
                        ErrorCode.INVALID_TAXONOMY,
                        _("Line %(line)d of the taxonomy file has an empty or too long name.")
                        % {"line": number},
                    )
                rows.append((names[0], names[1], names[2]))
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(
            ErrorCode.INVALID_TAXONOMY,
            _("The taxonomy file cannot be read: %(error)s") % {"error": str(exc)[:200]},
        ) from exc
    if not rows:
        raise DomainError(ErrorCode.INVALID_TAXONOMY, _("The taxonomy file has no classes."))
    return rows


@audited("hotline.taxonomy.load")
def taxonomy_load(*, actor: Actor | None = None, path: Path) -> LoadCounts:
    """Import the three-level taxonomy (CSV: level1, level2, level3), matching classes by
    their names under their parent, so a second import of the same file changes nothing and
    an extended one keeps every existing code. Codes nest: 2 digits, then 2, then 3, in the
    order of first appearance."""
    RULES.require(actor, Perm.CONFIGURE)
    rows = _taxonomy_rows(path)
    created = unchanged = 0
    with transaction.atomic():
        known: dict[tuple[int | None, str], Category] = {
            (c.parent_id, c.name): c for c in Category.objects.select_for_update()
        }
        children: dict[int | None, int] = {}
        for category in known.values():
            children[category.parent_id] = children.get(category.parent_id, 0) + 1
        widths = {1: 2, 2: 2, 3: 3}

        def ensure(parent: Category | None, name: str, level: int) -> Category:
            nonlocal created, unchanged
            key = (parent.pk if parent else None, name)
            found = known.get(key)
            if found is not None:
                unchanged += 1
                return found
            serial = children.get(key[0], 0) + 1
            if serial >= 10 ** widths[level]:
                raise DomainError(
                    ErrorCode.INVALID_TAXONOMY, _("Too many classes under one parent.")
                )
            children[key[0]] = serial
            code = (parent.code if parent else "") + str(serial).zfill(widths[level])
            category = Category.objects.create(code=code, name=name, level=level, parent=parent)
            known[key] = category
            created += 1
            return category

        for first, second, third in rows:
            top = ensure(None, first, 1)
            middle = ensure(top, second, 2)
            ensure(middle, third, 3)
    counts = LoadCounts(created=created, unchanged=unchanged)
    audit_record(
        actor=actor,
        action="hotline.taxonomy.load",
        object_type="hotline.category",
        after={**counts.as_dict(), "file": path.name[:100]},
    )
    return counts


@audited("hotline.route.set")
def route_set(
    *,
    actor: Actor | None,
    category_code: str,
    department_code: str,
    region_code: str = "",
    to_district_bureau: bool = True,
) -> RoutingRule:
    """Set where orders of a class (and its subclasses), in a region or the whole city, go."""
    RULES.require(actor, Perm.CONFIGURE)
    category = Category.objects.filter(code=category_code).first()
    if category is None:
        raise NotFound(
            ErrorCode.UNKNOWN_CATEGORY,
            _("There is no request category %(code)s.") % {"code": category_code[:12]},
        )
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise NotFound(
            ErrorCode.UNKNOWN_DEPARTMENT,
            _("No department has the code %(code)s.") % {"code": department_code[:32]},
        )
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise NotFound(
                ErrorCode.UNKNOWN_REGION,
                _("There is no region %(code)s.") % {"code": region_code[:12]},
            )
    rule, _created = RoutingRule.objects.update_or_create(
        category=category,
        region=region,
        defaults={"department": department, "to_district_bureau": to_district_bureau},
    )
    audit_record(
        actor=actor,
        action="hotline.route.set",
        obj=rule,
        after={
            "category": category.code,
            "region": region.code if region else "",
            "department": department.code,
            "to_district_bureau": to_district_bureau,
        },
    )
    return rule
