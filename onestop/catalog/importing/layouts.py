"""The two file layouts the catalog reads: the Guangdong service-item file and the native
layout that `onestop catalog export` writes.

Each layout turns one row into an `ItemDraft`, or into the list of everything wrong with
it. Both layouts can come as CSV or XLSX; the header row says which layout a file is in.
The native layout is described in docs/decisions/0006-service-catalog.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from onestop.catalog.enums import ItemLevel, ItemSource, ItemType, OnlineDepth
from onestop.catalog.importing import values as v
from onestop.catalog.importing.files import RawRow
from onestop.catalog.importing.records import ItemDraft
from onestop.catalog.models import Material, ServiceItem

GUANGDONG = "guangdong"
NATIVE = "native"

# Column names of the Guangdong file; the two bilingual ones are matched by their prefix.
GD_COLUMNS = (
    "task_code",
    "item_name",
    "catalog_name",
    "dept_name",
    "area",
    "area_code",
    "item_type",
    "level",
    "statutory_limit",
    "promised_limit",
    "visit_times",
    "handle_location",
    "consult_phone",
    "complain_phone",
    "online",
    "accept_conditions",
    "materials",
    "service_objects",
    "themes",
    "url",
)

NATIVE_COLUMNS = (
    "item_key",
    "basic_code",
    "implementation_code",
    "handling_code",
    "name",
    "catalog_name",
    "item_type",
    "level",
    "region_code",
    "region_name",
    "department_code",
    "department_name",
    "legal_basis",
    "conditions",
    "materials",
    "fee_fen",
    "fee_note",
    "statutory_limit",
    "promised_limit",
    "visits_required",
    "online_depth",
    "appointment_supported",
    "cross_district",
    "hall_category",
    "service_objects",
    "themes",
    "location",
    "office_hours",
    "consult_phone",
    "complaint_phone",
    "online_url",
)
NATIVE_REQUIRED = (
    "item_key",
    "name",
    "item_type",
    "level",
    "region_code",
    "department_code",
    "statutory_limit",
    "promised_limit",
)

# 18-character USCC of the implementing body, then the 13-character basic part (a digit,
# then the 12-digit basic code); 33 characters when it names a handling item (业务办理项).
_GD_TASK_CODE = re.compile(r"^[0-9A-Z]{18}[0-9]{13}(?:[0-9]{2})?$")
_ITEM_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_NO_THEME = "其他"
T = TypeVar("T")


@dataclass(frozen=True)
class Layout:
    name: str
    columns: dict[str, str]  # canonical column -> the header's own spelling
    parse: Callable[[RawRow, dict[str, str]], ItemDraft | list[str]]


def detect(header: list[str], *, wanted: str | None = None) -> Layout | list[str]:
    """The layout the header is in, or what is missing from it for the one wanted (or
    for either, when none is asked for)."""
    candidates = [wanted] if wanted else [NATIVE, GUANGDONG]
    missing_by_layout: dict[str, list[str]] = {}
    for name in candidates:
        expected = GD_COLUMNS if name == GUANGDONG else NATIVE_REQUIRED
        columns = _match_columns(header, GD_COLUMNS if name == GUANGDONG else NATIVE_COLUMNS)
        missing = [column for column in expected if column not in columns]
        if not missing:
            parse = _parse_guangdong if name == GUANGDONG else _parse_native
            return Layout(name, columns, parse)
        missing_by_layout[name] = missing
    return [
        _("%(layout)s layout: missing column(s) %(columns)s")
        % {"layout": name, "columns": ", ".join(missing)}
        for name, missing in missing_by_layout.items()
    ]


def _match_columns(header: list[str], known: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in known:
        for spelled in header:
            if spelled == column or spelled.startswith(column + "_"):
                found.setdefault(column, spelled)
    return found


class _Row:
    """Cell access and problem collection for one row."""

    def __init__(self, raw: RawRow, columns: dict[str, str]) -> None:
        self.raw = raw
        self.columns = columns
        self.problems: list[str] = []
        if raw.extra:
            self.problems.append(
                _("the row has %(count)d more cell(s) than the header; is a comma unquoted?")
                % {"count": raw.extra}
            )
        if raw.missing:
            self.problems.append(
                _("the row has %(count)d cell(s) fewer than the header") % {"count": raw.missing}
            )

    def text(self, column: str) -> str:
        spelled = self.columns.get(column)
        return (self.raw.cells.get(spelled) or "").strip() if spelled else ""

    def parse(self, column: str, parser: Callable[[str], T], default: T) -> T:
        try:
            return parser(self.text(column))
        except v.BadValue as error:
            self.problems.append(f"{column}: {error}")
            return default

    def require(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problems.append(_("%(column)s is empty") % {"column": column})
        return value


def _finish(row: _Row, draft: ItemDraft) -> ItemDraft | list[str]:
    row.problems.extend(validate_draft(draft))
    return row.problems or draft


def validate_draft(draft: ItemDraft) -> list[str]:
    """What is wrong with a draft whatever layout (or form) it came from."""
    problems: list[str] = []
    try:
        v.check_limits(draft.statutory, draft.promised)
    except v.BadValue as error:
        problems.append(str(error))
    for material in draft.materials:
        try:
            v.check_material(material)
        except v.BadValue as error:
            problems.append(f"materials: {error}")
    problems.extend(_length_problems(draft))
    return problems


def _length_problems(draft: ItemDraft) -> list[str]:
    problems = []
    for name in ("item_key", "basic_code", "implementation_code", "handling_code", "name"):
        problems.extend(_too_long(ServiceItem, name, getattr(draft, name)))
    for name in ("catalog_name", "authority_name", "fee_note", "office_hours"):
        problems.extend(_too_long(ServiceItem, name, getattr(draft, name)))
    for name in ("consult_phone", "complaint_phone", "online_url"):
        problems.extend(_too_long(ServiceItem, name, getattr(draft, name)))
    for material in draft.materials:
        problems.extend(_too_long(Material, "name", material.name))
    return problems


def _too_long(model: type[models.Model], field: str, value: str) -> list[str]:
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit is not None and len(value) > limit:
        return [
            _("%(field)s is %(length)d characters long; at most %(limit)d fit")
            % {"field": field, "length": len(value), "limit": limit}
        ]
    return []


# --- The Guangdong file ------------------------------------------------------------------------


def gd_region_ref(area_code: str) -> str:
    """A statistics-code prefix from a 6-digit administrative code: 440000 is the province
    `44`, 440100 the city `4401`, 440106 a district."""
    if not re.fullmatch(r"\d{6}", area_code):
        raise v.BadValue(
            _("area_code %(value)r is not a 6-digit division code") % {"value": area_code}
        )
    if area_code.endswith("0000"):
        return area_code[:2]
    if area_code.endswith("00"):
        return area_code[:4]
    return area_code


def guess_hall_category(
    *, name: str, authority: str, item_type: str, natural: bool, legal: bool
) -> str:
    """The integrated window an item is accepted at, guessed from who handles it and for
    whom (the Guangdong file does not say): trade bodies, construction bodies, company
    registration, and otherwise social affairs for people and business for organisations."""
    if re.search(r"海关|商务|口岸|外汇|贸易", authority):
        return "trade"
    if re.search(r"住房和城乡建设|规划|自然资源|人民防空|建筑", authority) or re.search(
        r"施工|建设工程|建设用地|竣工", name
    ):
        return "construction"
    if "市场监督" in authority and "登记" in name:
        return "registration"
    if natural and not legal:
        return "social"
    if legal and item_type in (ItemType.LICENSING, ItemType.OTHER_POWER):
        return "business"
    return "social"


def _parse_guangdong(raw: RawRow, columns: dict[str, str]) -> ItemDraft | list[str]:
    row = _Row(raw, columns)
    task_code = row.require("task_code")
    if task_code and not _GD_TASK_CODE.match(task_code):
        row.problems.append(
            _("task_code %(value)r is not an implementation code (31 or 33 letters and digits)")
            % {"value": task_code}
        )
    name = row.require("item_name")
    authority = " ".join(row.require("dept_name").split())
    item_type = row.parse("item_type", v.parse_item_type, str(ItemType.PUBLIC_SERVICE))
    level = row.parse("level", v.parse_level, str(ItemLevel.CITY))
    region_ref = row.parse("area_code", gd_region_ref, "")
    statutory = row.parse("statutory_limit", _gd_limit, v.Limit.none())
    promised = row.parse("promised_limit", _gd_limit, v.Limit.none())
    visits = row.parse("visit_times", _visits, 0)
    online = row.parse("online", _online, False)
    natural, legal = row.parse("service_objects", v.parse_service_objects, (False, False))
    location = v.text_or_empty(row.text("handle_location"))
    draft = ItemDraft(
        line=raw.line,
        item_key=task_code,
        basic_code=task_code[19:31],
        implementation_code=task_code[:31],
        handling_code=task_code if len(task_code) == 33 else "",
        name=name,
        catalog_name=row.text("catalog_name"),
        item_type=item_type,
        level=level,
        region_ref=region_ref,
        department_ref=authority,
        department_ref_kind="name",
        authority_name=authority,
        conditions=v.text_or_empty(row.text("accept_conditions")),
        statutory=statutory,
        promised=promised,
        visits_required=visits,
        # Online with no visit is 全程网办; online with visits is an online application
        # finished at a hall; not online at all leaves information and questions.
        online_depth=(
            (OnlineDepth.FULL if visits == 0 else OnlineDepth.APPLY)
            if online
            else OnlineDepth.CONSULT
        ),
        appointment_supported=visits > 0 and bool(location),
        hall_category_ref=guess_hall_category(
            name=name, authority=authority, item_type=item_type, natural=natural, legal=legal
        ),
        for_natural_person=natural,
        for_legal_person=legal,
        theme_refs=[label for label in v.split_multi(row.text("themes")) if label != _NO_THEME],
        location=location,
        consult_phone=v.text_or_empty(row.text("consult_phone")),
        complaint_phone=v.text_or_empty(row.text("complain_phone")),
        online_url=row.text("url"),
        materials=v.parse_plain_materials(row.text("materials")),
        source=ItemSource.GUANGDONG,
    )
    return _finish(row, draft)


def _gd_limit(text: str) -> v.Limit:
    return v.parse_limit(text, one_day_is_immediate=True)


def _visits(text: str) -> int:
    return v.parse_count(text, what="visit_times", maximum=9)


def _online(text: str) -> bool:
    return v.parse_bool(text, what="online")


# --- The native layout -------------------------------------------------------------------------


def _parse_native(raw: RawRow, columns: dict[str, str]) -> ItemDraft | list[str]:
    row = _Row(raw, columns)
    item_key = row.require("item_key")
    if item_key and not _ITEM_KEY.match(item_key):
        row.problems.append(
            _("item_key %(value)r may hold only letters, digits and . _ @ - (at most 64)")
            % {"value": item_key}
        )
    natural, legal = row.parse("service_objects", v.parse_service_objects, (False, False))
    draft = ItemDraft(
        line=raw.line,
        item_key=item_key,
        basic_code=row.text("basic_code"),
        implementation_code=row.text("implementation_code"),
        handling_code=row.text("handling_code"),
        name=row.require("name"),
        catalog_name=row.text("catalog_name"),
        item_type=row.parse("item_type", v.parse_item_type, str(ItemType.PUBLIC_SERVICE)),
        level=row.parse("level", v.parse_level, str(ItemLevel.CITY)),
        region_ref=row.text("region_code"),
        department_ref=row.text("department_code"),
        department_ref_kind="code",
        authority_name=row.text("department_name"),
        legal_basis=row.text("legal_basis"),
        conditions=row.text("conditions"),
        fee_fen=row.parse("fee_fen", v.parse_fee_fen, None),
        fee_note=row.text("fee_note"),
        statutory=row.parse("statutory_limit", v.parse_limit, v.Limit.none()),
        promised=row.parse("promised_limit", v.parse_limit, v.Limit.none()),
        visits_required=row.parse("visits_required", _native_visits, 0),
        online_depth=row.parse("online_depth", _native_depth, str(OnlineDepth.CONSULT)),
        appointment_supported=row.parse("appointment_supported", _yes_no, False),
        cross_district=row.parse("cross_district", _yes_no, False),
        hall_category_ref=row.text("hall_category"),
        for_natural_person=natural,
        for_legal_person=legal,
        theme_refs=v.split_multi(row.text("themes")),
        location=row.text("location"),
        office_hours=row.text("office_hours"),
        consult_phone=row.text("consult_phone"),
        complaint_phone=row.text("complaint_phone"),
        online_url=row.text("online_url"),
        materials=row.parse("materials", v.parse_native_materials, []),
        source=ItemSource.NATIVE,
    )
    return _finish(row, draft)


def _native_visits(text: str) -> int:
    return v.parse_count(text, what="visits_required", maximum=9)


def _native_depth(text: str) -> str:
    return v.parse_online_depth(text) if text else OnlineDepth.CONSULT


def _yes_no(text: str) -> bool:
    return v.parse_bool(text, what="")
