"""The online hall's catalog pages: browse by life event, department, level and region, and
the item page with its checklist. Public and read-only; each view parses, asks a selector,
renders."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onestop.catalog import selectors
from onestop.catalog.enums import CITY_LEVELS, ItemLevel, ItemStatus, OnlineDepth, ThemeKind
from onestop.catalog.models import ServiceItem
from onestop.core.errors import NotFound

PAGE_SIZE = 20


def _page(request: HttpRequest, items: QuerySet[ServiceItem]) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _level_filter(request: HttpRequest) -> str:
    level = request.GET.get("level", "")
    return level if level in ItemLevel.values else ""


def _not_found(error: NotFound) -> Http404:
    return Http404(error.message)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    counts = selectors.item_counts_by_level()
    themes = selectors.theme_list(kind=ThemeKind.LIFE_EVENT)
    return render(
        request,
        "catalog/index.html",
        {
            "levels": [(level, ItemLevel(level).label, counts[level]) for level in CITY_LEVELS],
            "city_total": selectors.city_level_total(counts),
            "provincial": counts[ItemLevel.PROVINCE],
            "for_people": [t for t in themes if t.audience != "legal"],
            "for_organisations": [t for t in themes if t.audience != "natural"],
        },
    )


@require_GET
def theme_list(request: HttpRequest) -> HttpResponse:
    themes = selectors.theme_list()
    return render(
        request,
        "catalog/theme_list.html",
        {
            "life_events": [t for t in themes if t.kind == ThemeKind.LIFE_EVENT],
            "topics": [t for t in themes if t.kind == ThemeKind.TOPIC],
        },
    )


@require_GET
def theme_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        theme = selectors.theme_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    level = _level_filter(request)
    items = selectors.item_list(theme_code=theme.code, level=level or None)
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": theme.name,
            "intro": _("Services filed under this life event or topic."),
            "page": _page(request, items),
            "level": level,
            "level_choices": ItemLevel.choices,
        },
    )


@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_list()
    city = [d for d in departments if d.parent_id is None]
    bureaus = [d for d in departments if d.parent_id is not None]
    return render(
        request, "catalog/department_list.html", {"city": city, "bureau_count": len(bureaus)}
    )


@require_GET
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        department = selectors.department_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    level = _level_filter(request)
    items = selectors.item_list(department_code=department.code, level=level or None)
    bureaus = [d for d in selectors.department_list() if d.parent_id == department.pk]
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": department.name,
            "intro": _("Services this department is responsible for."),
            "page": _page(request, items),
            "level": level,
            "level_choices": ItemLevel.choices,
            "links_title": _("Its district bureaus"),
            "links": [
                (b.name, "catalog:department_detail", b.code, getattr(b, "item_count", 0))
                for b in bureaus
            ],
        },
    )


@require_GET
def level_detail(request: HttpRequest, level: str) -> HttpResponse:
    if level not in ItemLevel.values:
        raise Http404(_("There is no such level."))
    # Street and village items are tens of thousands: they are reached through their
    # district, not listed in one go.
    below_district = level in (ItemLevel.STREET, ItemLevel.COMMUNITY)
    districts = (
        [
            (r.name, "catalog:region_detail", r.code, getattr(r, "item_count", 0))
            for r in selectors.region_children_with_counts(None)
        ]
        if level != ItemLevel.PROVINCE
        else []
    )
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": ItemLevel(level).label,
            "intro": _(
                "Street, town, community and village services are listed under their "
                "district: choose a district, then a street or town."
            )
            if below_district
            else "",
            "page": None if below_district else _page(request, selectors.item_list(level=level)),
            "links_title": _("Districts"),
            "links": districts,
        },
    )


@require_GET
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = selectors.region_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    items = selectors.item_list(region_code=region.code)
    children = selectors.region_children_with_counts(region)
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": region.name,
            "intro": _("Services handled in %(region)s itself.") % {"region": region.name},
            "page": _page(request, items),
            "parent": region.parent,
            "links_title": _("Below %(region)s") % {"region": region.name} if children else "",
            "links": [
                (c.name, "catalog:region_detail", c.code, getattr(c, "item_count", 0))
                for c in children
            ],
        },
    )


def _item_context(item: ServiceItem) -> dict[str, Any]:
    return {
        "item": item,
        "checklist": selectors.item_checklist(item),
        "themes": list(item.themes.all()),
        "online": item.online_depth in (OnlineDepth.APPLY, OnlineDepth.FULL),
    }


@require_GET
def item_detail(request: HttpRequest, item_key: str) -> HttpResponse:
    try:
        item = selectors.item_current(item_key)
    except NotFound:
        return _gone_or_missing(request, item_key, None)
    return render(request, "catalog/item_detail.html", _item_context(item))


@require_GET
def item_version(request: HttpRequest, item_key: str, version: int) -> HttpResponse:
    try:
        item = selectors.item_public_version(item_key, version)
    except NotFound as error:
        raise _not_found(error) from error
    if item.status == ItemStatus.PUBLISHED:
        return render(request, "catalog/item_detail.html", _item_context(item))
    return _gone(request, item)


def _gone_or_missing(request: HttpRequest, item_key: str, version: int | None) -> HttpResponse:
    try:
        item = selectors.item_public_version(item_key, version)
    except NotFound as error:
        raise _not_found(error) from error
    return _gone(request, item)


def _gone(request: HttpRequest, item: ServiceItem) -> HttpResponse:
    """410: the version is no longer in force; say why, and where the current one is."""
    current = selectors.item_published().filter(item_key=item.item_key).first()
    return render(
        request,
        "catalog/item_gone.html",
        {"item": item, "current": current, "withdrawn": item.status == ItemStatus.WITHDRAWN},
        status=410,
    )
