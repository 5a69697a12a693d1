"""The catalog API, mounted at /api/v1/catalog/. Public reads: anyone may list and read
published items, departments and themes.

Every answer carries a strong ETag (a hash of its body); a request whose If-None-Match
names it gets 304 with no body. Lists are paginated with `page` and `page_size` (at most
100). The answers hold codes, not translated labels, so they do not vary by language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from onestop.catalog import selectors
from onestop.catalog.enums import (
    ErrorCode,
    ItemLevel,
    ItemStatus,
    ItemType,
    OnlineDepth,
    ThemeKind,
)
from onestop.catalog.models import ServiceItem
from onestop.catalog.schemas import (
    CountsOut,
    DepartmentOut,
    DepartmentPageOut,
    ItemDetailOut,
    ItemPageOut,
    ThemeOut,
    ThemePageOut,
)
from onestop.catalog.values import Limit
from onestop.core.errors import DomainError
from onestop.core.etags import etag_response

router = Router(tags=["catalog"], auth=None)

MAX_PAGE_SIZE = 100


class PageIn(Schema):
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ItemFilters(PageIn):
    level: ItemLevel | None = None
    region: str | None = Field(None, max_length=12, pattern=r"^\d{2,12}$")
    within: bool = Field(False, description="also the items of the regions below `region`")
    department: str | None = Field(None, max_length=32)
    theme: str | None = Field(None, max_length=40)
    item_type: ItemType | None = None
    audience: str | None = Field(None, pattern="^(natural|legal)$")
    online_depth: OnlineDepth | None = None
    hall_category: str | None = Field(None, max_length=40)


class ThemeFilters(PageIn):
    kind: ThemeKind | None = None


# --- Shapes ------------------------------------------------------------------------------------


def _page(rows_in: QuerySet | Sequence[Any], page: PageIn) -> tuple[list[Any], dict[str, Any]]:
    """One page of a query (counted in the database) or of a list already read."""
    count = rows_in.count() if isinstance(rows_in, QuerySet) else len(rows_in)
    start = (page.page - 1) * page.page_size
    rows = list(rows_in[start : start + page.page_size])
    meta = {
        "count": count,
        "page": page.page,
        "page_size": page.page_size,
        "pages": math.ceil(count / page.page_size),
    }
    return rows, meta


def _limit(value: int | None, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "text": Limit(value, unit).as_source_text()}


def _page_url(item: ServiceItem) -> str:
    try:
        return reverse("catalog:item_detail", args=[item.item_key])
    except NoReverseMatch:
        return ""


def _summary(item: ServiceItem) -> dict[str, Any]:
    return {
        "item_key": item.item_key,
        "version": item.version,
        "name": item.name,
        "item_type": item.item_type,
        "level": item.level,
        "region": {"code": item.region.code, "name": item.region.name} if item.region else None,
        "department": (
            {"code": item.department.code, "name": item.department.name}
            if item.department
            else None
        ),
        "authority_name": item.authority_label,
        "promised_limit": _limit(item.promised_limit_value, item.promised_limit_unit),
        "online_depth": item.online_depth,
        "url": _page_url(item),
    }


def _detail(item: ServiceItem) -> dict[str, Any]:
    return {
        **_summary(item),
        "status": item.status,
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "handling_code": item.handling_code,
        "catalog_name": item.catalog_name,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "materials": [
            {
                "name": m.name,
                "requirement": m.requirement,
                "form": m.form,
                "count": m.count,
                "e_licence_type": m.e_licence_type,
                "held_by_government": m.held_by_government,
                "note": m.note,
            }
            for m in item.materials.all()
        ],
        "fee_fen": item.fee_fen,
        "fee_note": item.fee_note,
        "statutory_limit": _limit(item.statutory_limit_value, item.statutory_limit_unit),
        "visits_required": item.visits_required,
        "appointment_supported": item.appointment_supported,
        "cross_district": item.cross_district,
        "hall_category": item.hall_category.code if item.hall_category else None,
        "for_natural_person": item.for_natural_person,
        "for_legal_person": item.for_legal_person,
        "themes": sorted(theme.code for theme in item.themes.all()),
        "location": item.location,
        "office_hours": item.office_hours,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
        "online_url": item.online_url,
        "published_at": item.published_at,
    }


# --- Operations --------------------------------------------------------------------------------


@router.get("/items", response={200: ItemPageOut, 304: None})
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> HttpResponse:
    """Published items, filtered, in a stable order."""
    items = selectors.item_list(
        level=filters.level,
        region_code=filters.region,
        within_region=filters.within,
        department_code=filters.department,
        theme_code=filters.theme,
        item_type=filters.item_type,
        audience=filters.audience,
        online_depth=filters.online_depth,
        hall_category_code=filters.hall_category,
    )
    rows, meta = _page(items, filters)
    return etag_response(request, ItemPageOut, {**meta, "items": [_summary(i) for i in rows]})


@router.get("/items/{item_key}", response={200: ItemDetailOut, 304: None})
def get_item(request: HttpRequest, item_key: str) -> HttpResponse:
    """The published version of an item. A withdrawn item answers 410 Gone."""
    item = selectors.item_public_version(item_key)
    if item.status != ItemStatus.PUBLISHED:
        raise DomainError(
            ErrorCode.ITEM_WITHDRAWN,
            _("This service item was withdrawn and is no longer offered."),
            status=410,
            item_key=item.item_key,
            version=item.version,
            withdrawn_at=item.ended_at,
            reason=item.status_reason,
        )
    return etag_response(request, ItemDetailOut, _detail(item))


@router.get("/items/{item_key}/versions/{version}", response={200: ItemDetailOut, 304: None})
def get_item_version(request: HttpRequest, item_key: str, version: int) -> HttpResponse:
    """Any public version (published, superseded or withdrawn); `status` says which."""
    return etag_response(
        request, ItemDetailOut, _detail(selectors.item_public_version(item_key, version))
    )


def _department(department: Any) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "short_name": department.short_name,
        "region": {"code": department.region.code, "name": department.region.name},
        "parent_code": department.parent.code if department.parent_id else None,
        "item_count": department.item_count,
    }


@router.get("/departments", response={200: DepartmentPageOut, 304: None})
def list_departments(request: HttpRequest, page: Query[PageIn]) -> HttpResponse:
    """Departments with published items, with how many."""
    departments, meta = _page(selectors.department_list(), page)
    payload = {**meta, "items": [_department(d) for d in departments]}
    return etag_response(request, DepartmentPageOut, payload)


@router.get("/departments/{code}", response={200: DepartmentOut, 304: None})
def get_department(request: HttpRequest, code: str) -> HttpResponse:
    department = selectors.department_get(code)
    department.item_count = selectors.item_list(department_code=code).count()  # type: ignore[attr-defined]
    return etag_response(request, DepartmentOut, _department(department))


def _theme(theme: Any) -> dict[str, Any]:
    return {
        "code": theme.code,
        "name": theme.name,
        "kind": theme.kind,
        "audience": theme.audience,
        "item_count": theme.item_count,
    }


@router.get("/themes", response={200: ThemePageOut, 304: None})
def list_themes(request: HttpRequest, filters: Query[ThemeFilters]) -> HttpResponse:
    """Life events and topics with published items."""
    themes, meta = _page(selectors.theme_list(kind=filters.kind), filters)
    payload = {**meta, "items": [_theme(t) for t in themes]}
    return etag_response(request, ThemePageOut, payload)


@router.get("/themes/{code}", response={200: ThemeOut, 304: None})
def get_theme(request: HttpRequest, code: str) -> HttpResponse:
    theme = selectors.theme_get(code)
    theme.item_count = selectors.item_list(theme_code=code).count()  # type: ignore[attr-defined]
    return etag_response(request, ThemeOut, _theme(theme))


@router.get("/counts", response={200: CountsOut, 304: None})
def counts(request: HttpRequest) -> HttpResponse:
    """Published items per level: the online hall's four-level counts, and the province."""
    by_level = selectors.item_counts_by_level()
    payload = {**by_level, "city_levels_total": selectors.city_level_total(by_level)}
    return etag_response(request, CountsOut, payload)
