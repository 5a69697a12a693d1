"""An item as a file (or the demo builder) describes it, before and after its references
to regions, departments, categories and themes are resolved."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from onestop.catalog.enums import ItemSource, OnlineDepth
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.values import Limit


@dataclass
class ItemDraft:
    """One row, parsed. References are as the file wrote them: a region code, a department
    code or name, category and theme codes or names."""

    line: int
    item_key: str
    name: str
    item_type: str
    level: str
    region_ref: str = ""
    department_ref: str = ""
    # "code" in the native layout and the demo; "name" in the Guangdong file.
    department_ref_kind: str = "code"
    authority_name: str = ""
    basic_code: str = ""
    implementation_code: str = ""
    handling_code: str = ""
    catalog_name: str = ""
    legal_basis: str = ""
    conditions: str = ""
    fee_fen: int | None = None
    fee_note: str = ""
    statutory: Limit = field(default_factory=Limit.none)
    promised: Limit = field(default_factory=Limit.none)
    visits_required: int = 0
    online_depth: str = OnlineDepth.CONSULT
    appointment_supported: bool = False
    cross_district: bool = False
    hall_category_ref: str = ""
    for_natural_person: bool = False
    for_legal_person: bool = False
    theme_refs: list[str] = field(default_factory=list)
    location: str = ""
    office_hours: str = ""
    consult_phone: str = ""
    complaint_phone: str = ""
    online_url: str = ""
    materials: list[MaterialValue] = field(default_factory=list)
    source: str = ItemSource.NATIVE


@dataclass(frozen=True)
class Resolved:
    """A draft's references as rows of this database, and as codes for the fingerprint
    (codes, not ids, so the same file has the same fingerprint in every database)."""

    region_id: int | None
    region_code: str
    department_id: int | None
    department_code: str
    hall_category_id: int | None
    hall_category_code: str
    theme_ids: tuple[int, ...]
    theme_codes: tuple[str, ...]


# The item's own fields, copied as they are.
_PLAIN_FIELDS = (
    "item_key",
    "basic_code",
    "implementation_code",
    "handling_code",
    "name",
    "catalog_name",
    "item_type",
    "level",
    "authority_name",
    "legal_basis",
    "conditions",
    "fee_fen",
    "fee_note",
    "visits_required",
    "online_depth",
    "appointment_supported",
    "cross_district",
    "for_natural_person",
    "for_legal_person",
    "location",
    "office_hours",
    "consult_phone",
    "complaint_phone",
    "online_url",
)


def content_hash(draft: ItemDraft, resolved: Resolved) -> str:
    """Fingerprint of everything a file sets: equal fingerprints, nothing to change."""
    payload: dict[str, Any] = {name: getattr(draft, name) for name in _PLAIN_FIELDS}
    payload.update(
        statutory=[draft.statutory.value, draft.statutory.unit],
        promised=[draft.promised.value, draft.promised.unit],
        region=resolved.region_code,
        department=resolved.department_code,
        hall_category=resolved.hall_category_code,
        themes=sorted(resolved.theme_codes),
        materials=[material.as_dict() for material in draft.materials],
    )
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def item_fields(draft: ItemDraft, resolved: Resolved) -> dict[str, Any]:
    """Keyword arguments for a new ServiceItem version."""
    fields: dict[str, Any] = {name: getattr(draft, name) for name in _PLAIN_FIELDS}
    fields.update(
        region_id=resolved.region_id,
        department_id=resolved.department_id,
        hall_category_id=resolved.hall_category_id,
        statutory_limit_value=draft.statutory.value,
        statutory_limit_unit=draft.statutory.unit,
        promised_limit_value=draft.promised.value,
        promised_limit_unit=draft.promised.unit,
        source=draft.source,
        content_hash=content_hash(draft, resolved),
    )
    return fields
