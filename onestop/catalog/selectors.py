"""Reads of the catalog: what the public sees (published versions), what staff may change,
and the rows a search index is built from.

Public reads only ever return published versions, except `item_public_version`, which also
returns superseded and withdrawn ones so a page can say what happened to them. Drafts are
reached through `access_item`, which checks the actor.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from onestop.catalog import policies
from onestop.catalog.enums import (
    CITY_LEVELS,
    ErrorCode,
    ItemLevel,
    ItemStatus,
    MaterialRequirement,
)
from onestop.catalog.models import HallCategory, Material, ServiceItem, Theme
from onestop.catalog.policies import Perm
from onestop.core.errors import NotFound
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.identity.actors import Account, Citizen, StaffUser

PUBLIC_STATUSES = (ItemStatus.PUBLISHED, ItemStatus.SUPERSEDED, ItemStatus.WITHDRAWN)

T = TypeVar("T")


@dataclass(frozen=True)
class Counted(Generic[T]):
    """A row (a theme, a department, a region) and how many published items it has."""

    row: T
    item_count: int


def item_not_found(item_key: str) -> NotFound:
    return NotFound(
        ErrorCode.ITEM_NOT_FOUND,
        _("No service item has the key %(key)s.") % {"key": item_key},
        item_key=item_key,
    )


# --- Published items ---------------------------------------------------------------------------


def item_published() -> QuerySet[ServiceItem]:
    """The current version of every item that is in force."""
    return ServiceItem.objects.filter(status=ItemStatus.PUBLISHED)


def item_list(
    *,
    level: str | None = None,
    region_code: str | None = None,
    within_region: bool = False,
    department_code: str | None = None,
    theme_code: str | None = None,
    item_type: str | None = None,
    audience: str | None = None,
    online_depth: str | None = None,
    hall_category_code: str | None = None,
) -> QuerySet[ServiceItem]:
    """Published items, filtered; ordered by level, region and name. `within_region` also
    takes the items of the regions below `region_code` (a district's streets and villages)."""
    items = item_published().select_related("region", "department")
    if level:
        items = items.filter(level=level)
    if region_code:
        items = (
            items.filter(region__code__startswith=region_code)
            if within_region
            else items.filter(region__code=region_code)
        )
    if department_code:
        items = items.filter(department__code=department_code)
    if theme_code:
        items = items.filter(themes__code=theme_code)
    if item_type:
        items = items.filter(item_type=item_type)
    if audience == "natural":
        items = items.filter(for_natural_person=True)
    elif audience == "legal":
        items = items.filter(for_legal_person=True)
    if online_depth:
        items = items.filter(online_depth=online_depth)
    if hall_category_code:
        items = items.filter(hall_category__code=hall_category_code)
    return items.order_by("level", "region__code", "name", "item_key")


def item_current(item_key: str) -> ServiceItem:
    """The published version of an item, with what its page shows."""
    item = (
        item_published()
        .select_related("region", "department", "hall_category")
        .prefetch_related("themes", Prefetch("materials", Material.objects.order_by("position")))
        .filter(item_key=item_key)
        .first()
    )
    if item is None:
        raise item_not_found(item_key)
    return item


def item_public_version(item_key: str, version: int | None = None) -> ServiceItem:
    """A version the public may know about: the given one, or else the newest of the
    published, superseded and withdrawn ones. Drafts and discarded versions do not exist
    for the public."""
    versions = (
        ServiceItem.objects.filter(item_key=item_key, status__in=PUBLIC_STATUSES)
        .select_related("region", "department", "hall_category")
        .prefetch_related("themes", Prefetch("materials", Material.objects.order_by("position")))
    )
    if version is not None:
        versions = versions.filter(version=version)
    item = versions.order_by("-version").first()
    if item is None:
        raise item_not_found(item_key)
    return item


def item_versions(item_key: str) -> list[ServiceItem]:
    """The public history of an item, newest first."""
    return list(
        ServiceItem.objects.filter(item_key=item_key, status__in=PUBLIC_STATUSES).order_by(
            "-version"
        )
    )


@dataclass(frozen=True)
class Checklist:
    """What the applicant brings, and what the administration already holds."""

    bring: list[Material]
    held: list[Material]

    @property
    def required(self) -> list[Material]:
        return [m for m in self.bring if m.requirement == MaterialRequirement.REQUIRED]

    @property
    def conditional(self) -> list[Material]:
        return [m for m in self.bring if m.requirement == MaterialRequirement.CONDITIONAL]


def item_checklist(item: ServiceItem) -> Checklist:
    materials = list(item.materials.all())
    return Checklist(
        bring=[m for m in materials if not m.held_by_government],
        held=[m for m in materials if m.held_by_government],
    )


# --- Counts, cached ------------------------------------------------------------------------------
# Counting the published catalog (some 88,000 items) costs tens of milliseconds a request, and
# the counts change only when items are published, withdrawn or imported. They are cached under
# a generation that `counts_forget` moves on (catalog/apps.py connects it to `items_changed`,
# after the change commits), so a page never shows counts older than the last committed
# change; the time limit bounds what the hook cannot see (a theme or department renamed in the
# admin, a change made by a process that does not share the cache). Decision 0013.
COUNTS_CACHE_SECONDS = 300
_GENERATION_KEY = "catalog:counts:generation"


def _counts_generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        # Evicted or never set: start a new one (and count afresh).
        cache.add(_GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(_GENERATION_KEY, 0)
    return int(generation)


def counts_forget(item_keys: Iterable[str] = ()) -> None:
    """Make every cached count stale: the next read counts again. Listens to
    `items_changed` (whatever the items); call it after changing themes, departments or
    regions outside the services."""
    cache.set(_GENERATION_KEY, time.time_ns(), None)


def _cached(name: str, compute: Callable[[], Any]) -> Any:
    key = f"catalog:counts:{_counts_generation()}:{name}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, COUNTS_CACHE_SECONDS)
    return found


def item_counts_by_level(*, fresh: bool = False) -> dict[str, int]:
    """Published items per level, every level present (the four-level counts); `fresh`
    counts now instead of reading the cache."""

    def count() -> dict[str, int]:
        counts = dict.fromkeys(ItemLevel.values, 0)
        for row in item_published().values("level").annotate(n=Count("pk")).order_by():
            counts[row["level"]] = row["n"]
        return counts

    return dict(count() if fresh else _cached("levels", count))


def city_level_total(counts: dict[str, int]) -> int:
    return sum(counts[level] for level in CITY_LEVELS)


# --- Browsing ----------------------------------------------------------------------------------


def theme_counts(*, kind: str | None = None) -> list[Counted[Theme]]:
    """Themes with at least one published item, each with how many (cached)."""
    return list(_cached(f"themes:{kind or ''}", lambda: _theme_counts(kind=kind)))


def _theme_counts(*, kind: str | None) -> list[Counted[Theme]]:
    themes = Theme.objects.annotate(
        item_count=Count("items", filter=Q(items__status=ItemStatus.PUBLISHED))
    ).filter(item_count__gt=0)
    if kind:
        themes = themes.filter(kind=kind)
    return [Counted(t, t.item_count) for t in themes.order_by("position", "code")]


def theme_list(*, kind: str | None = None) -> list[Theme]:
    """Themes with at least one published item."""
    return [counted.row for counted in theme_counts(kind=kind)]


def theme_get(code: str) -> Theme:
    theme = Theme.objects.filter(code=code).first()
    if theme is None:
        raise NotFound(
            ErrorCode.THEME_NOT_FOUND,
            _("No theme has the code %(code)s.") % {"code": code},
            theme_code=code,
        )
    return theme


def department_counts(*, region_code: str | None = None) -> list[Counted[Department]]:
    """Departments with published items, each with how many; city departments first
    (cached)."""
    return list(
        _cached(
            f"departments:{region_code or ''}",
            lambda: _department_counts(region_code=region_code),
        )
    )


def _department_counts(*, region_code: str | None) -> list[Counted[Department]]:
    counts = dict(
        item_published()
        .filter(department__isnull=False)
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = Department.objects.select_related("region", "parent").filter(pk__in=counts.keys())
    if region_code:
        departments = departments.filter(region__code=region_code)
    result = list(departments.order_by("region__code", "code"))
    return [Counted(department, counts[department.pk]) for department in result]


def department_list(*, region_code: str | None = None) -> list[Department]:
    """Departments with published items; city departments first."""
    return [counted.row for counted in department_counts(region_code=region_code)]


def department_get(code: str) -> Department:
    department = Department.objects.select_related("region", "parent").filter(code=code).first()
    if department is None:
        raise NotFound(
            ErrorCode.DEPARTMENT_NOT_FOUND,
            _("No department has the code %(code)s.") % {"code": code},
            department_code=code,
        )
    return department


def region_get(code: str) -> Region:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound(
            ErrorCode.REGION_NOT_FOUND,
            _("No region has the code %(code)s.") % {"code": code},
            region_code=code,
        )
    return region


def region_children_with_counts(region: Region | None) -> list[Counted[Region]]:
    """The regions one level below (the districts, for None), each with the count of the
    published items of that region and every region below it (cached)."""
    return list(
        _cached(
            f"regions:{region.code if region is not None else ''}",
            lambda: _region_children_with_counts(region),
        )
    )


def _region_children_with_counts(region: Region | None) -> list[Counted[Region]]:
    children = list(
        Region.objects.filter(parent=region, is_administrative=True).order_by("code")
        if region is not None
        else Region.objects.filter(level=2).order_by("code")
    )
    if not children:
        return []
    length = len(children[0].code)
    counts: dict[str, int] = defaultdict(int)
    rows = (
        item_published()
        .filter(region__code__startswith=region.code if region else "")
        .values_list("region__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, n in rows:
        if code and len(code) >= length:
            counts[code[:length]] += n
    return [Counted(child, counts.get(child.code, 0)) for child in children]


def hall_category_list() -> list[HallCategory]:
    return list(HallCategory.objects.filter(is_active=True))


# --- Staff access ------------------------------------------------------------------------------


def access_item(actor: StaffUser, item_id: int, *, for_update: bool = False) -> ServiceItem:
    """Fetch one version for a change: found only if `actor` manages its department (an
    item outside their scope is "not found"), optionally locked."""
    items = ServiceItem.objects.all()
    if for_update:
        items = items.select_for_update()
    item = items.filter(pk=item_id).first()
    if item is None or not policies.RULES.can(actor, Perm.MANAGE_ITEMS, item.place):
        raise NotFound(
            ErrorCode.ITEM_NOT_FOUND,
            _("No service item version has the id %(id)s.") % {"id": item_id},
            item_id=item_id,
        )
    return item


def item_list_for_staff(actor: StaffUser, *, status: str | None = None) -> QuerySet[ServiceItem]:
    """Every version of the items `actor` manages, newest first."""
    items = ServiceItem.objects.select_related("department", "region")
    coverage = policies.RULES.coverage(actor, Perm.MANAGE_ITEMS)
    items = items.filter(coverage.q(department="department_id"))
    if status:
        items = items.filter(status=status)
    return items.order_by("-updated_at", "-pk")


# --- The visitor's own region ------------------------------------------------------------------

# Region codes nest (core.regions): a district is the first 6 digits of every code below it,
# a street the first 9.
DISTRICT_DIGITS = 6
STREET_DIGITS = 9
COMMUNITY_DIGITS = 12
REMEMBERED_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


def region_remembered(*, chosen_code: str, actor: Account | None) -> Region | None:
    """Where the citizen said they are: the district, street or community they chose on a
    catalog or search page (a cookie), else a signed-in citizen's own registered region."""
    if chosen_code.isdigit() and len(chosen_code) in (
        DISTRICT_DIGITS,
        STREET_DIGITS,
        COMMUNITY_DIGITS,
    ):
        chosen = Region.objects.filter(code=chosen_code, level__in=REMEMBERED_LEVELS).first()
        if chosen is not None:
            return chosen
    if isinstance(actor, Citizen) and actor.person_id is not None:
        region_id = actor.person.region_id if actor.person is not None else None
        if region_id is not None:
            return Region.objects.filter(pk=region_id, level__in=REMEMBERED_LEVELS).first()
    return None


# --- For the search index ----------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRow:
    """What a search index needs of one published item, read in bulk."""

    item_id: int
    item_key: str
    name: str
    catalog_name: str
    conditions: str
    material_names: tuple[str, ...]
    authority: str
    department_id: int | None
    department_code: str
    region_id: int | None
    region_code: str
    level: str
    item_type: str
    theme_codes: tuple[str, ...]
    theme_names: tuple[str, ...]
    for_natural_person: bool
    for_legal_person: bool
    online_depth: str
    hall_category_code: str


def item_index_rows(
    item_keys: Iterable[str] | None = None, *, chunk_size: int = 2000
) -> Iterator[IndexRow]:
    """Published items as index rows, a few queries per `chunk_size` items. With
    `item_keys`, only those items (as a hook passes them after a change)."""
    items = item_published()
    if item_keys is not None:
        items = items.filter(item_key__in=list(item_keys))
    ids = list(items.order_by("pk").values_list("pk", flat=True))
    through = ServiceItem.themes.through
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        materials: dict[int, list[str]] = defaultdict(list)
        for item_id, name in (
            Material.objects.filter(item_id__in=chunk)
            .order_by("item_id", "position")
            .values_list("item_id", "name")
        ):
            materials[item_id].append(name)
        themes: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for item_id, code, name in through.objects.filter(serviceitem_id__in=chunk).values_list(
            "serviceitem_id", "theme__code", "theme__name"
        ):
            themes[item_id].append((code, name))
        rows = (
            ServiceItem.objects.filter(pk__in=chunk)
            .order_by("pk")
            .values_list(
                "pk",
                "item_key",
                "name",
                "catalog_name",
                "conditions",
                "authority_name",
                "department_id",
                "department__code",
                "department__name",
                "region_id",
                "region__code",
                "level",
                "item_type",
                "for_natural_person",
                "for_legal_person",
                "online_depth",
                "hall_category__code",
            )
        )
        for row in rows:
            (pk, key, name, catalog_name, conditions, authority, dept_id, dept_code) = row[:8]
            yield IndexRow(
                item_id=pk,
                item_key=key,
                name=name,
                catalog_name=catalog_name,
                conditions=conditions,
                material_names=tuple(materials[pk]),
                authority=row[8] or authority,
                department_id=dept_id,
                department_code=dept_code or "",
                region_id=row[9],
                region_code=row[10] or "",
                level=row[11],
                item_type=row[12],
                theme_codes=tuple(code for code, _n in themes[pk]),
                theme_names=tuple(n for _c, n in themes[pk]),
                for_natural_person=row[13],
                for_legal_person=row[14],
                online_depth=row[15],
                hall_category_code=row[16] or "",
            )
