"""The catalog API, mounted at /api/v1/catalog/. Public reads: anyone may list and read
published items, departments and themes.

Every answer carries a strong ETag (a hash of its body); a request whose If-None-Match
names it gets 304 with no body. Lists are paginated with `page` and `page_size` (at most
100). The answers hold codes, not translated labels, and the names of readable data (themes,
hall categories) in every language at once (`names`), so they do not vary by language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from onestop.catalog import selectors
from onestop.catalog.enums import ErrorCode, ItemStatus
from onestop.catalog.models import HallCategory, ServiceItem, Theme
from onestop.catalog.schemas import (
    CatalogCountsOut,
    CatalogDepartmentOut,
    CatalogDepartmentPageOut,
    CatalogHallCategoryListOut,
    CatalogItemDetailOut,
    CatalogItemFilters,
    CatalogItemPageOut,
    CatalogPageIn,
    CatalogThemeFilters,
    CatalogThemeOut,
    CatalogThemePageOut,
)
from onestop.catalog.selectors import Counted
from onestop.catalog.values import Limit
from onestop.core.errors import DomainError
from onestop.core.etags import etag_response
from onestop.core.i18n import translated
from onestop.core.models import Department

router = Router(tags=["catalog"], auth=None)


# --- Shapes ------------------------------------------------------------------------------------


def _page(
    rows_in: QuerySet | Sequence[Any], page: CatalogPageIn
) -> tuple[list[Any], dict[str, Any]]:
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


@router.get("/items", response={200: CatalogItemPageOut, 304: None})
def list_items(request: HttpRequest, filters: Query[CatalogItemFilters]) -> HttpResponse:
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
    return etag_response(
        request, CatalogItemPageOut, {**meta, "items": [_summary(i) for i in rows]}
    )


@router.get("/items/{item_key}", response={200: CatalogItemDetailOut, 304: None})
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
    return etag_response(request, CatalogItemDetailOut, _detail(item))


@router.get("/items/{item_key}/versions/{version}", response={200: CatalogItemDetailOut, 304: None})
def get_item_version(request: HttpRequest, item_key: str, version: int) -> HttpResponse:
    """Any public version (published, superseded or withdrawn); `status` says which."""
    return etag_response(
        request, CatalogItemDetailOut, _detail(selectors.item_public_version(item_key, version))
    )


def _names(obj: Theme | HallCategory) -> dict[str, str]:
    """The name in every language the platform speaks (the `names` of an answer)."""
    return {
        code.replace("-", "_"): translated(obj, "name", code) for code, _label in settings.LANGUAGES
    }


def _department(counted: Counted[Department]) -> dict[str, Any]:
    department = counted.row
    return {
        "code": department.code,
        "name": department.name,
        "short_name": department.short_name,
        "region": {"code": department.region.code, "name": department.region.name},
        "parent_code": department.parent.code if department.parent is not None else None,
        "item_count": counted.item_count,
    }


@router.get("/departments", response={200: CatalogDepartmentPageOut, 304: None})
def list_departments(request: HttpRequest, page: Query[CatalogPageIn]) -> HttpResponse:
    """Departments with published items, with how many."""
    departments, meta = _page(selectors.department_counts(), page)
    payload = {**meta, "items": [_department(d) for d in departments]}
    return etag_response(request, CatalogDepartmentPageOut, payload)


@router.get("/departments/{code}", response={200: CatalogDepartmentOut, 304: None})
def get_department(request: HttpRequest, code: str) -> HttpResponse:
    department = selectors.department_get(code)
    count = selectors.item_list(department_code=code).count()
    return etag_response(request, CatalogDepartmentOut, _department(Counted(department, count)))


def _theme(counted: Counted[Theme]) -> dict[str, Any]:
    theme = counted.row
    return {
        "code": theme.code,
        "name": theme.name,
        "names": _names(theme),
        "kind": theme.kind,
        "audience": theme.audience,
        "item_count": counted.item_count,
    }


@router.get("/themes", response={200: CatalogThemePageOut, 304: None})
def list_themes(request: HttpRequest, filters: Query[CatalogThemeFilters]) -> HttpResponse:
    """Life events and topics with published items; names in every language."""
    themes, meta = _page(selectors.theme_counts(kind=filters.kind), filters)
    payload = {**meta, "items": [_theme(t) for t in themes]}
    return etag_response(request, CatalogThemePageOut, payload)


@router.get("/themes/{code}", response={200: CatalogThemeOut, 304: None})
def get_theme(request: HttpRequest, code: str) -> HttpResponse:
    theme = selectors.theme_get(code)
    count = selectors.item_list(theme_code=code).count()
    return etag_response(request, CatalogThemeOut, _theme(Counted(theme, count)))


@router.get("/hall-categories", response={200: CatalogHallCategoryListOut, 304: None})
def list_hall_categories(request: HttpRequest) -> HttpResponse:
    """The kinds of window items are accepted at (an item's `hall_category` is one of these
    codes); names in every language."""
    categories = [
        {"code": c.code, "name": c.name, "names": _names(c)} for c in selectors.hall_category_list()
    ]
    return etag_response(request, CatalogHallCategoryListOut, {"items": categories})


@router.get("/counts", response={200: CatalogCountsOut, 304: None})
def counts(request: HttpRequest) -> HttpResponse:
    """Published items per level: the online hall's four-level counts, and the province."""
    by_level = selectors.item_counts_by_level()
    payload = {**by_level, "city_levels_total": selectors.city_level_total(by_level)}
    return etag_response(request, CatalogCountsOut, payload)
