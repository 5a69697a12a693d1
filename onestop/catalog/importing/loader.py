"""Loading parsed items: resolve their references, compare with what is published, and
write the differences in one transaction with bulk statements.

An item is matched on its key (the handling-item code, else the implementation code, in
the Guangdong file). A row equal to the published version changes nothing; a different row
publishes a new version and supersedes the old one; a withdrawn item is not brought back by
an import. Every row that cannot be taken is reported with its line and every reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog.bulk import db_datetime, insert_rows
from onestop.catalog.enums import ITEM, REGION_LEVEL_OF, ItemLevel, ItemStatus, ThemeKind
from onestop.catalog.hooks import items_changed
from onestop.catalog.importing.records import ItemDraft, Resolved, item_fields
from onestop.catalog.models import DepartmentAlias, HallCategory, Material, ServiceItem, Theme
from onestop.core.audit import audit_record
from onestop.core.models import Department, Region
from onestop.core.regions import CITY_CODE
from onestop.core.service import audited
from onestop.identity.actors import StaffUser

BULK_CHUNK = 5000
LOAD_CHUNK = 5000
KEY_CHUNK = 900


@dataclass(frozen=True)
class RowProblem:
    line: int
    reasons: tuple[str, ...]
    item_key: str = ""

    def __str__(self) -> str:
        return _("line %(line)d: %(reasons)s") % {
            "line": self.line,
            "reasons": "; ".join(self.reasons),
        }


@dataclass
class ImportReport:
    source: str
    layout: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    loaded: bool = True
    seconds: float = 0.0

    @property
    def written(self) -> bool:
        """Whether the load wrote anything (and so recorded its audit entry)."""
        return self.loaded and bool(self.created or self.updated)

    @property
    def items_per_second(self) -> float:
        return round(self.rows / self.seconds, 1) if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "layout": self.layout,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "loaded": self.loaded,
        }


def theme_code_for(label: str) -> str:
    """A stable code for a theme first seen in a file: the same label, the same code in
    every database, so fingerprints agree."""
    return "t-" + hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()[:10]


class Lookups:
    """Every table a row can refer to, read once per load."""

    def __init__(self) -> None:
        self.province_code = CITY_CODE[:2]
        self.regions: dict[str, tuple[int, int]] = {
            code: (pk, level)
            for pk, code, level in Region.objects.values_list("pk", "code", "level")
        }
        self.departments_by_code: dict[str, int] = {}
        self.departments_by_name: dict[str, tuple[int, str]] = {}
        codes_by_id: dict[int, str] = {}
        for pk, code, name in Department.objects.values_list("pk", "code", "name"):
            self.departments_by_code[code] = pk
            self.departments_by_name.setdefault(name, (pk, code))
            codes_by_id[pk] = code
        for name, department_id in DepartmentAlias.objects.values_list("name", "department_id"):
            self.departments_by_name.setdefault(name, (department_id, codes_by_id[department_id]))
        self.categories: dict[str, tuple[int, str]] = {}
        for pk, code, name in HallCategory.objects.values_list("pk", "code", "name"):
            self.categories[code] = (pk, code)
            self.categories.setdefault(name, (pk, code))
        self.themes: dict[str, tuple[int, str]] = {}
        for theme in Theme.objects.all():
            self.themes[theme.code] = (theme.pk, theme.code)
            self.themes.setdefault(theme.name, (theme.pk, theme.code))
            for alias in theme.alias_list():
                self.themes.setdefault(alias, (theme.pk, theme.code))
        # Labels first seen in this load: created when (and only if) the load writes.
        self.new_themes: dict[str, str] = {}

    def resolve(self, draft: ItemDraft, *, create_themes: bool) -> Resolved | list[str]:
        problems: list[str] = []
        region_id, region_code = self._region(draft, problems)
        department_id, department_code = self._department(draft, problems)
        category_id, category_code = None, ""
        if draft.hall_category_ref:
            found = self.categories.get(draft.hall_category_ref)
            if found is None:
                problems.append(
                    _("unknown hall category %(value)r") % {"value": draft.hall_category_ref}
                )
            else:
                category_id, category_code = found
        theme_ids: list[int] = []
        theme_codes: list[str] = []
        for label in draft.theme_refs:
            theme = self.themes.get(label)
            if theme is not None:
                theme_ids.append(theme[0])
                theme_codes.append(theme[1])
            elif create_themes:
                code = theme_code_for(label)
                known = self.themes.get(code)
                if known is not None:
                    # Created by an earlier load, and renamed since.
                    theme_ids.append(known[0])
                else:
                    self.new_themes.setdefault(label, code)
                theme_codes.append(code)
            else:
                problems.append(_("unknown theme %(value)r") % {"value": label})
        if problems:
            return problems
        return Resolved(
            region_id=region_id,
            region_code=region_code,
            department_id=department_id,
            department_code=department_code,
            hall_category_id=category_id,
            hall_category_code=category_code,
            theme_ids=tuple(dict.fromkeys(theme_ids)),
            theme_codes=tuple(dict.fromkeys(theme_codes)),
        )

    def _region(self, draft: ItemDraft, problems: list[str]) -> tuple[int | None, str]:
        ref = draft.region_ref
        if draft.level == ItemLevel.PROVINCE:
            if ref not in ("", self.province_code):
                problems.append(
                    _("region %(code)s is not this city's province %(province)s")
                    % {"code": ref, "province": self.province_code}
                )
            return None, ""
        found = self.regions.get(ref)
        if found is None:
            problems.append(
                _("unknown region %(code)r: it is not a division of this city") % {"code": ref}
                if ref
                else _("the region is empty")
            )
            return None, ""
        region_id, region_level = found
        if region_level != REGION_LEVEL_OF[draft.level]:
            problems.append(
                _("region %(code)s is not a %(level)s") % {"code": ref, "level": draft.level}
            )
        return region_id, ref

    def _department(  # noqa: PLR0911 - one return per way a reference resolves
        self, draft: ItemDraft, problems: list[str]
    ) -> tuple[int | None, str]:
        ref = draft.department_ref
        provincial = draft.level == ItemLevel.PROVINCE
        if not ref:
            if provincial and draft.authority_name:
                return None, ""
            problems.append(_("the department is empty"))
            return None, ""
        if draft.department_ref_kind == "code":
            department_id = self.departments_by_code.get(ref)
            if department_id is None:
                problems.append(_("unknown department code %(code)r") % {"code": ref})
                return None, ""
            return department_id, ref
        found = self.departments_by_name.get(ref)
        if found is not None:
            return found
        if provincial:
            # The province's bodies are not among the city's departments: the item keeps
            # the body's name (authority_name) and has no department.
            return None, ""
        problems.append(
            _(
                "unknown department %(name)r: add it to the departments, or give the name as "
                "a department alias in the admin"
            )
            % {"name": ref}
        )
        return None, ""


@dataclass
class _Existing:
    max_version: int = 0
    published_id: int | None = None
    published_hash: str = ""
    withdrawn: bool = False


def _existing(keys: list[str]) -> dict[str, _Existing]:
    state: dict[str, _Existing] = {}
    columns = ("item_key", "pk", "version", "status", "content_hash")
    for start in range(0, len(keys), KEY_CHUNK):
        rows = ServiceItem.objects.filter(item_key__in=keys[start : start + KEY_CHUNK])
        for key, pk, version, status, digest in rows.values_list(*columns):
            entry = state.setdefault(key, _Existing())
            entry.max_version = max(entry.max_version, version)
            if status == ItemStatus.PUBLISHED:
                entry.published_id, entry.published_hash = pk, digest
            elif status == ItemStatus.WITHDRAWN:
                entry.withdrawn = True
    return state


Row = ItemDraft | RowProblem


class _Load:
    """One load's running state: rows are taken a chunk at a time, so memory stays flat
    however long the file."""

    def __init__(self, *, actor: StaffUser | None, report: ImportReport, create_themes: bool):
        self.actor = actor
        self.report = report
        self.create_themes = create_themes
        self.lookups = Lookups()
        self.first_line: dict[str, int] = {}
        self.rejected: list[RowProblem] = []
        self.changed_keys: list[str] = []

    def reject(self, line: int, reason: str, key: str = "") -> None:
        self.rejected.append(RowProblem(line, (reason,), key))

    def take(self, chunk: list[Row], *, write: bool) -> None:
        accepted: list[tuple[ItemDraft, Resolved, dict[str, Any]]] = []
        for row in chunk:
            self.report.rows += 1
            if isinstance(row, RowProblem):
                self.rejected.append(row)
                continue
            if row.item_key in self.first_line:
                self.reject(
                    row.line,
                    _("the item key %(key)s is already on line %(line)d")
                    % {"key": row.item_key, "line": self.first_line[row.item_key]},
                    row.item_key,
                )
                continue
            self.first_line[row.item_key] = row.line
            resolved = self.lookups.resolve(row, create_themes=self.create_themes)
            if isinstance(resolved, list):
                self.rejected.append(RowProblem(row.line, tuple(resolved), row.item_key))
                continue
            accepted.append((row, resolved, item_fields(row, resolved)))

        existing = _existing([draft.item_key for draft, _r, _f in accepted])
        to_create: list[tuple[ItemDraft, Resolved, dict[str, Any]]] = []
        superseded: list[int] = []
        for draft, resolved, fields in accepted:
            state = existing.get(draft.item_key, _Existing())
            if state.published_id is not None and state.published_hash == fields["content_hash"]:
                self.report.unchanged += 1
                continue
            if state.published_id is None and state.withdrawn:
                self.reject(
                    draft.line,
                    _("item %(key)s was withdrawn; an import does not publish it again")
                    % {"key": draft.item_key},
                    draft.item_key,
                )
                continue
            fields["version"] = state.max_version + 1
            if state.published_id is not None:
                superseded.append(state.published_id)
                self.report.updated += 1
            else:
                self.report.created += 1
            to_create.append((draft, resolved, fields))
        if write and to_create:
            _write(
                actor=self.actor, to_create=to_create, superseded=superseded, lookups=self.lookups
            )
            self.changed_keys.extend(draft.item_key for draft, _r, _f in to_create)


@audited("catalog.items.import", unless=lambda report: not report.written)
def items_load(
    *,
    actor: StaffUser | None,
    rows: Iterable[Row],
    source: str,
    layout: str = "",
    all_or_nothing: bool = False,
    create_themes: bool = False,
    started: float | None = None,
) -> ImportReport:
    """Resolve, compare and write, in one transaction. With `all_or_nothing`, one bad row
    anywhere rolls everything back."""
    started = time.perf_counter() if started is None else started
    report = ImportReport(source=source, layout=layout)
    load = _Load(actor=actor, report=report, create_themes=create_themes)
    with transaction.atomic():
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == LOAD_CHUNK:
                # Once a row is bad, an all-or-nothing load only checks the rest.
                load.take(chunk, write=not (all_or_nothing and load.rejected))
                chunk = []
        load.take(chunk, write=not (all_or_nothing and load.rejected))
        report.rejected = sorted(load.rejected, key=lambda problem: problem.line)
        if all_or_nothing and report.rejected:
            transaction.set_rollback(True)
            report.loaded = False
            report.created = report.updated = report.unchanged = 0
        elif load.changed_keys:
            audit_record(
                actor=actor,
                action="catalog.items.import",
                object_type="catalog.serviceitem",
                after=report.as_dict(),
            )
            items_changed.fire(sorted(set(load.changed_keys)))
    report.seconds = time.perf_counter() - started
    return report


def _item_columns() -> tuple[list[str], dict[str, Any]]:
    fields = [f for f in ServiceItem._meta.concrete_fields if not f.primary_key]
    return [f.attname for f in fields], {f.attname: f.get_default() for f in fields}


MATERIAL_COLUMNS = [
    "item_id",
    "position",
    "name",
    "requirement",
    "form",
    "count",
    "e_licence_type",
    "held_by_government",
    "note",
]


def _write(
    *,
    actor: StaffUser | None,
    to_create: list[tuple[ItemDraft, Resolved, dict[str, Any]]],
    superseded: list[int],
    lookups: Lookups,
) -> None:
    now = timezone.now()
    stamp = db_datetime(now)
    theme_ids = _create_new_themes(lookups)
    # The old versions step down first: at most one published version per key. A bulk move
    # of many rows, so the machine's table is asked rather than each row moved by it; the
    # import's one audit entry records it.
    if not ITEM.allows(ItemStatus.PUBLISHED, ItemStatus.SUPERSEDED):
        raise RuntimeError("catalog.item: a published version can no longer be superseded")
    for start in range(0, len(superseded), KEY_CHUNK):
        ServiceItem.objects.filter(pk__in=superseded[start : start + KEY_CHUNK]).update(
            status=ItemStatus.SUPERSEDED, ended_at=now, updated_at=now
        )
    columns, defaults = _item_columns()
    fixed = {
        **defaults,
        "status": ItemStatus.PUBLISHED,
        "created_by_id": actor.pk if actor is not None else None,
        "created_at": stamp,
        "updated_at": stamp,
        "published_at": stamp,
    }
    for start in range(0, len(to_create), BULK_CHUNK):
        chunk = to_create[start : start + BULK_CHUNK]
        rows = []
        for _d, _r, fields in chunk:
            values = {**fixed, **fields}
            rows.append([values[column] for column in columns])
        ids = insert_rows(ServiceItem, columns, rows, returning_ids=True)
        materials: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        for item_id, (draft, resolved, _f) in zip(ids, chunk, strict=True):
            materials.extend(
                (
                    item_id,
                    position,
                    m.name,
                    m.requirement,
                    m.form,
                    m.count,
                    m.e_licence_type,
                    m.held_by_government,
                    m.note,
                )
                for position, m in enumerate(draft.materials, start=1)
            )
            links.extend((item_id, theme_ids[code]) for code in resolved.theme_codes)
        insert_rows(Material, MATERIAL_COLUMNS, materials)
        insert_rows(ServiceItem.themes.through, ["serviceitem_id", "theme_id"], links)


def _create_new_themes(lookups: Lookups) -> dict[str, int]:
    if lookups.new_themes:
        created = Theme.objects.bulk_create(
            [
                Theme(code=code, name=label[:50], kind=ThemeKind.TOPIC)
                for label, code in lookups.new_themes.items()
            ]
        )
        for theme in created:
            lookups.themes[theme.code] = (theme.pk, theme.code)
            lookups.themes.setdefault(theme.name, (theme.pk, theme.code))
        lookups.new_themes.clear()
    return {code: pk for pk, code in lookups.themes.values()}
