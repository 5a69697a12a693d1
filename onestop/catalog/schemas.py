"""The catalog API's requests and answers. Names carry the `Catalog` prefix: schema names are
unique across the whole API (they are the OpenAPI components).

Answers hold codes, and names of readable data in every language at once (`names`:
zh_hans, zh_hant, en; decision 0020), so an answer does not vary with the request's
language and one ETag serves every client.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from onestop.catalog.enums import ItemLevel, ItemType, OnlineDepth, ThemeKind

MAX_PAGE_SIZE = 100


class CatalogPageIn(Schema):
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class CatalogItemFilters(CatalogPageIn):
    level: ItemLevel | None = None
    region: str | None = Field(None, max_length=12, pattern=r"^\d{2,12}$")
    within: bool = Field(False, description="also the items of the regions below `region`")
    department: str | None = Field(None, max_length=32)
    theme: str | None = Field(None, max_length=40)
    item_type: ItemType | None = None
    audience: str | None = Field(None, pattern="^(natural|legal)$")
    online_depth: OnlineDepth | None = None
    hall_category: str | None = Field(None, max_length=40)


class CatalogThemeFilters(CatalogPageIn):
    kind: ThemeKind | None = None


class CatalogNamesOut(Schema):
    """A name in each language the platform speaks. zh-hant is converted from zh-hans when
    nobody wrote one; en is the Chinese name when nobody translated it."""

    zh_hans: str
    zh_hant: str
    en: str


class CatalogLimitOut(Schema):
    value: int | None
    unit: str
    text: str  # `20(工作日)`, `即办`, `无`, as the source writes it


class CatalogRegionRefOut(Schema):
    code: str
    name: str


class CatalogDepartmentRefOut(Schema):
    code: str
    name: str


class CatalogItemSummaryOut(Schema):
    item_key: str
    version: int
    name: str
    item_type: str
    level: str
    region: CatalogRegionRefOut | None
    department: CatalogDepartmentRefOut | None
    authority_name: str
    promised_limit: CatalogLimitOut
    online_depth: str
    url: str


class CatalogMaterialOut(Schema):
    name: str
    requirement: str
    form: str
    count: int
    e_licence_type: str
    held_by_government: bool
    note: str


class CatalogItemDetailOut(CatalogItemSummaryOut):
    status: str
    basic_code: str
    implementation_code: str
    handling_code: str
    catalog_name: str
    legal_basis: str
    conditions: str
    materials: list[CatalogMaterialOut]
    fee_fen: int | None
    fee_note: str
    statutory_limit: CatalogLimitOut
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


class CatalogPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class CatalogItemPageOut(CatalogPageOut):
    items: list[CatalogItemSummaryOut]


class CatalogDepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    region: CatalogRegionRefOut
    parent_code: str | None
    item_count: int


class CatalogDepartmentPageOut(CatalogPageOut):
    items: list[CatalogDepartmentOut]


class CatalogThemeOut(Schema):
    code: str
    name: str
    names: CatalogNamesOut
    kind: str
    audience: str
    item_count: int


class CatalogThemePageOut(CatalogPageOut):
    items: list[CatalogThemeOut]


class CatalogHallCategoryOut(Schema):
    code: str
    name: str
    names: CatalogNamesOut


class CatalogHallCategoryListOut(Schema):
    items: list[CatalogHallCategoryOut]


class CatalogCountsOut(Schema):
    province: int
    city: int
    district: int
    street: int
    community: int
    city_levels_total: int
