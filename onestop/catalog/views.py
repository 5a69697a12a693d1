"""The online hall's catalog pages: browse by life event, department, level and region, the
item page with its checklist, and where a service can be done, nearest first. Public and
read-only (remembering the visitor's region sets a cookie); each view parses, asks a
selector, renders.

Lists show services, not items (`browse`, decision 0020): a service offered in every
community is one entry with the number of places and a link to them. The region picker sits
above every list; the region it remembers orders the services and their places.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.catalog import browse, selectors
from onestop.catalog.browse import ItemFilters
from onestop.catalog.enums import (
    CITY_LEVELS,
    REGION_COOKIE,
    ItemLevel,
    ItemStatus,
    Nearness,
    OnlineDepth,
    ThemeKind,
)
from onestop.catalog.models import ServiceItem
from onestop.core.errors import NotFound
from onestop.core.i18n import translated
from onestop.core.models import Region
from onestop.identity.actors import optional_actor

PAGE_SIZE = 20
REGION_COOKIE_AGE = 365 * 24 * 3600


def _level_filter(request: HttpRequest) -> str:
    level = request.GET.get("level", "")
    return level if level in ItemLevel.values else ""


def _not_found(error: NotFound) -> Http404:
    return Http404(error.message)


def remembered_region(request: HttpRequest) -> Region | None:
    """The district or street the visitor chose here or in search, else a signed-in
    citizen's own region."""
    return selectors.region_remembered(
        chosen_code=request.COOKIES.get(REGION_COOKIE, ""), actor=optional_actor(request)
    )


def _services_context(
    request: HttpRequest,
    filters: ItemFilters,
    *,
    near: Region | None,
    level_choices: bool = True,
) -> dict[str, Any]:
    """A list of services with its region picker, one page of it."""
    entries = browse.service_list(filters, near=near)
    page: Page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "places_total": sum(entry.places for entry in entries),
        "near": near,
        "choices": browse.region_choices(near),
        "filters": filters,
        "places_query": urlencode(filters.query()),
        "level": filters.level,
        "level_choices": ItemLevel.choices if level_choices else None,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    counts = selectors.item_counts_by_level()
    themes = selectors.theme_counts(kind=ThemeKind.LIFE_EVENT)
    return render(
        request,
        "catalog/index.html",
        {
            "levels": [(level, ItemLevel(level).label, counts[level]) for level in CITY_LEVELS],
            "city_total": selectors.city_level_total(counts),
            "provincial": counts[ItemLevel.PROVINCE],
            "for_people": [t for t in themes if t.row.audience != "legal"],
            "for_organisations": [t for t in themes if t.row.audience != "natural"],
        },
    )


@require_GET
def theme_list(request: HttpRequest) -> HttpResponse:
    themes = selectors.theme_counts()
    return render(
        request,
        "catalog/theme_list.html",
        {
            "life_events": [t for t in themes if t.row.kind == ThemeKind.LIFE_EVENT],
            "topics": [t for t in themes if t.row.kind == ThemeKind.TOPIC],
        },
    )


@require_GET
def theme_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        theme = selectors.theme_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    filters = ItemFilters(theme_code=theme.code, level=_level_filter(request))
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": translated(theme, "name"),
            "intro": _("Services filed under this life event or topic."),
            **_services_context(request, filters, near=remembered_region(request)),
        },
    )


@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_counts()
    city = [d for d in departments if d.row.parent_id is None]
    return render(
        request,
        "catalog/department_list.html",
        {"city": city, "bureau_count": len(departments) - len(city)},
    )


@require_GET
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        department = selectors.department_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    filters = ItemFilters(department_code=department.code, level=_level_filter(request))
    near = remembered_region(request)
    context = _services_context(request, filters, near=near)
    bureaus = [d for d in selectors.department_counts() if d.row.parent_id == department.pk]
    # A bureau's region is its district: the visitor's own district's bureau first.
    districts = browse.regions_in_order([b.row.region for b in bureaus], near.code if near else "")
    order = {region.pk: n for n, region in enumerate(districts)}
    bureaus.sort(key=lambda b: order[b.row.region_id])
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": department.name,
            "intro": _("Services this department is responsible for."),
            "links_title": _("Its district bureaus"),
            "links": [
                (b.row.name, "catalog:department_detail", b.row.code, b.item_count) for b in bureaus
            ],
            **context,
        },
    )


def _region_links(parent: Region | None, near: Region | None) -> list[tuple[str, str, str, int]]:
    children = selectors.region_children_with_counts(parent)
    counts = {c.row.code: c.item_count for c in children}
    ordered = browse.regions_in_order([c.row for c in children], near.code if near else "")
    return [(r.name, "catalog:region_detail", r.code, counts[r.code]) for r in ordered]


@require_GET
def level_detail(request: HttpRequest, level: str) -> HttpResponse:
    if level not in ItemLevel.values:
        raise Http404(_("There is no such level."))
    # Street and village services are reached through their district or as a service's
    # places; a list of them all would name each service once per street.
    below_district = level in (ItemLevel.STREET, ItemLevel.COMMUNITY)
    near = remembered_region(request)
    context: dict[str, Any] = {
        "title": ItemLevel(level).label,
        "intro": _(
            "Street, town, community and village services are listed under their "
            "district: choose a district, then a street or town."
        )
        if below_district
        else "",
        "links_title": _("Districts"),
        "links": _region_links(None, near) if level != ItemLevel.PROVINCE else [],
        "page": None,
    }
    if not below_district:
        context.update(
            _services_context(request, ItemFilters(level=level), near=near, level_choices=False)
        )
    return render(request, "catalog/item_list.html", context)


@require_GET
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = selectors.region_get(code)
    except NotFound as error:
        raise _not_found(error) from error
    near = remembered_region(request)
    links = _region_links(region, near)
    filters = ItemFilters(region_code=region.code)
    return render(
        request,
        "catalog/item_list.html",
        {
            "title": region.name,
            "intro": _("Services handled in %(region)s itself.") % {"region": region.name},
            "parent": region.parent,
            "links_title": _("Below %(region)s") % {"region": region.name} if links else "",
            "links": links,
            **_services_context(request, filters, near=near, level_choices=False),
        },
    )


@require_GET
def item_places(request: HttpRequest, item_key: str) -> HttpResponse:
    """Where a service can be done: every place offering the item's service, nearest to the
    visitor's region first, grouped by how near."""
    filters = ItemFilters(
        level=_level_filter(request),
        department_code=request.GET.get("department", "")[:32],
        theme_code=request.GET.get("theme", "")[:40],
    )
    near = remembered_region(request)
    try:
        found = browse.service_places(item_key, filters, near=near)
    except NotFound as error:
        raise _not_found(error) from error
    page: Page = Paginator(found.places, PAGE_SIZE).get_page(request.GET.get("page"))
    groups: list[tuple[str, list[browse.ServicePlace]]] = []
    for place in page.object_list:
        label = str(Nearness(place.nearness).label)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(place)
    return render(
        request,
        "catalog/item_places.html",
        {
            "item": found.item,
            "page": page,
            "groups": groups,
            "count": found.count,
            "near": near,
            "choices": browse.region_choices(near),
            "filtered": bool(filters.query()),
        },
    )


@require_POST
def region_remember(request: HttpRequest) -> HttpResponse:
    """Remember the visitor's district (and street) in a cookie, and go back. A street
    outside the chosen district is ignored; an empty district forgets the region."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("catalog:index")
    response = HttpResponseRedirect(target)
    district = request.POST.get("district", "")
    street = request.POST.get("street", "")
    code = street if street.startswith(district) and len(street) > len(district) else district
    region = selectors.region_remembered(chosen_code=code, actor=None) if district else None
    if region is not None:
        response.set_cookie(
            REGION_COOKIE,
            region.code,
            max_age=REGION_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    elif not district:
        response.delete_cookie(REGION_COOKIE, samesite="Lax")
    return response


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
