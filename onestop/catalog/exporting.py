"""Writing the published catalog in the native layout (CSV, or XLSX by the file's suffix),
which `onestop catalog import` reads back unchanged."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onestop.catalog.enums import ItemStatus
from onestop.catalog.importing.layouts import NATIVE_COLUMNS
from onestop.catalog.importing.values import MULTI_SEPARATOR, MaterialValue, format_native_materials
from onestop.catalog.models import Material, ServiceItem
from onestop.catalog.values import Limit

CHUNK = 2000
_MATERIAL_FIELDS = (
    "name",
    "requirement",
    "form",
    "count",
    "e_licence_type",
    "held_by_government",
    "note",
)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    items: int


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def native_rows(levels: list[str] | None = None) -> Iterator[list[str]]:
    """Every published item as a native-layout row, in a stable order."""
    items = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED)
    if levels:
        items = items.filter(level__in=levels)
    ids = list(items.order_by("level", "region__code", "item_key").values_list("pk", flat=True))
    through = ServiceItem.themes.through
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {
            item.pk: item
            for item in ServiceItem.objects.filter(pk__in=chunk).select_related(
                "region", "department", "hall_category"
            )
        }
        materials: dict[int, list[MaterialValue]] = defaultdict(list)
        for values in (
            Material.objects.filter(item_id__in=chunk)
            .order_by("item_id", "position")
            .values("item_id", *_MATERIAL_FIELDS)
        ):
            materials[values.pop("item_id")].append(MaterialValue(**values))
        themes: dict[int, list[str]] = defaultdict(list)
        for item_id, code in (
            through.objects.filter(serviceitem_id__in=chunk)
            .order_by("theme__code")
            .values_list("serviceitem_id", "theme__code")
        ):
            themes[item_id].append(code)
        for pk in chunk:
            yield _row(rows[pk], materials[pk], themes[pk])


def _row(item: ServiceItem, materials: list[MaterialValue], themes: list[str]) -> list[str]:
    objects = [
        label
        for label, wanted in (
            ("natural", item.for_natural_person),
            ("legal", item.for_legal_person),
        )
        if wanted
    ]
    values: dict[str, Any] = {
        "item_key": item.item_key,
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "handling_code": item.handling_code,
        "name": item.name,
        "catalog_name": item.catalog_name,
        "item_type": item.item_type,
        "level": item.level,
        "region_code": item.region.code if item.region else "",
        "region_name": item.region.name if item.region else "",
        "department_code": item.department.code if item.department else "",
        "department_name": item.authority_name,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "materials": format_native_materials(materials),
        "fee_fen": "" if item.fee_fen is None else str(item.fee_fen),
        "fee_note": item.fee_note,
        "statutory_limit": Limit(
            item.statutory_limit_value, item.statutory_limit_unit
        ).as_source_text(),
        "promised_limit": Limit(
            item.promised_limit_value, item.promised_limit_unit
        ).as_source_text(),
        "visits_required": str(item.visits_required),
        "online_depth": item.online_depth,
        "appointment_supported": _yes_no(item.appointment_supported),
        "cross_district": _yes_no(item.cross_district),
        "hall_category": item.hall_category.code if item.hall_category else "",
        "service_objects": MULTI_SEPARATOR.join(objects),
        "themes": MULTI_SEPARATOR.join(themes),
        "location": item.location,
        "office_hours": item.office_hours,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
        "online_url": item.online_url,
    }
    return [values[column] for column in NATIVE_COLUMNS]


def items_export(*, path: Path, levels: list[str] | None = None) -> ExportReport:
    """Write the published items to `path`: XLSX when it ends in .xlsx, else CSV (UTF-8
    with a byte-order mark, so spreadsheet programs read the Chinese right)."""
    path = Path(path)
    count = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("items")
        sheet.append(list(NATIVE_COLUMNS))
        for row in native_rows(levels):
            # XLSX cannot hold control characters; a CSV export keeps them.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
            count += 1
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(NATIVE_COLUMNS)
            for row in native_rows(levels):
                writer.writerow(row)
                count += 1
    return ExportReport(path=path, items=count)
