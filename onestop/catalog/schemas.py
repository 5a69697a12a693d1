"""The catalog API's answers."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class LimitOut(Schema):
    value: int | None
    unit: str
    text: str  # `20(工作日)`, `即办`, `无`, as the source writes it


class RegionRefOut(Schema):
    code: str
    name: str


class DepartmentRefOut(Schema):
    code: str
    name: str


class ItemSummaryOut(Schema):
    item_key: str
    version: int
    name: str
    item_type: str
    level: str
    region: RegionRefOut | None
    department: DepartmentRefOut | None
    authority_name: str
    promised_limit: LimitOut
    online_depth: str
    url: str


class MaterialOut(Schema):
    name: str
    requirement: str
    form: str
    count: int
    e_licence_type: str
    held_by_government: bool
    note: str


class ItemDetailOut(ItemSummaryOut):
    status: str
    basic_code: str
    implementation_code: str
    handling_code: str
    catalog_name: str
    legal_basis: str
    conditions: str
    materials: list[MaterialOut]
    fee_fen: int | None
    fee_note: str
    statutory_limit: LimitOut
    visits_required: int
    appointment_supported: bool
    cross_district: bool
    hall_category: str | None
    for_natural_person: bool
    for_legal_person: bool
    themes: list[str]
    location: str
    office_hours: str
    consult_phone: str
    complaint_phone: str
    online_url: str
    published_at: datetime | None


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class ItemPageOut(PageOut):
    items: list[ItemSummaryOut]


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    region: RegionRefOut
    parent_code: str | None
    item_count: int


class DepartmentPageOut(PageOut):
    items: list[DepartmentOut]


class ThemeOut(Schema):
    code: str
    name: str
    kind: str
    audience: str
    item_count: int


class ThemePageOut(PageOut):
    items: list[ThemeOut]


class CountsOut(Schema):
    province: int
    city: int
    district: int
    street: int
    community: int
    city_levels_total: int
