"""Browsing the catalog as a citizen does: one entry per service, then where it can be done,
nearest first (decision 0020).

A service (服务) is what a citizen asks for: the items of one basic code (基本编码) under one
name, wherever they are offered. The demo's 88,000 items are about 2,300 services; a
community-level service such as the elderly card is one item in each of 2,827 communities
and villages. Lists therefore show services (`service_list`), each with how many places
offer it, and the places page (`service_places`) lists those places ordered by nearness to
the region the citizen gave (`selectors.region_remembered`): their own street (and its communities),
their district, the city's own hall, elsewhere in the city, the province.

Names are ordered as people look them up, by pinyin (按拼音排序), not by code: a code puts
荔湾区 first for everyone. The citizen's own district comes before the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Min, Q, QuerySet
from pypinyin import Style, lazy_pinyin

from onestop.catalog.enums import ItemLevel, Nearness
from onestop.catalog.models import ServiceItem
from onestop.catalog.selectors import (
    DISTRICT_DIGITS,
    STREET_DIGITS,
    item_not_found,
    item_published,
)
from onestop.core.models import Region
from onestop.core.models.regions import RegionLevel


@lru_cache(maxsize=8192)
def pinyin_key(name: str) -> str:
    """A name's sort key: its toneless pinyin, then the name itself to break ties (多音字
    and the same pinyin)."""
    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default")) + "\0" + name


# --- The remembered region -------------------------------------------------------------------


@dataclass(frozen=True)
class RegionChoices:
    """What the region picker offers: every district, and the streets of the chosen one;
    each list the citizen's own first, then by pinyin."""

    districts: list[Region]
    streets: list[Region]
    district_code: str
    street_code: str


def _own_first(regions: Iterable[Region], own_code: str) -> list[Region]:
    return sorted(regions, key=lambda r: (r.code != own_code, pinyin_key(r.name)))


def region_choices(remembered: Region | None) -> RegionChoices:
    code = remembered.code if remembered is not None else ""
    district_code = code[:DISTRICT_DIGITS]
    street_code = code[:STREET_DIGITS] if len(code) >= STREET_DIGITS else ""
    districts = Region.objects.filter(level=RegionLevel.DISTRICT, is_administrative=True)
    streets: list[Region] = []
    if district_code:
        streets = _own_first(
            Region.objects.filter(
                level=RegionLevel.STREET,
                is_administrative=True,
                code__startswith=district_code,
            ),
            street_code,
        )
    return RegionChoices(
        districts=_own_first(districts, district_code),
        streets=streets,
        district_code=district_code,
        street_code=street_code,
    )


def regions_in_order(regions: Iterable[Region], own_code: str = "") -> list[Region]:
    """Regions as a page lists them: the one holding `own_code` first, then by pinyin."""
    return sorted(
        regions,
        key=lambda r: (not (own_code and own_code.startswith(r.code)), pinyin_key(r.name)),
    )


# --- Services ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilters:
    """What a list is narrowed to (all optional); the places page takes the same, so its
    places are the ones a list counted."""

    level: str = ""
    department_code: str = ""
    theme_code: str = ""
    region_code: str = ""

    def apply(self, items: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
        if self.level:
            items = items.filter(level=self.level)
        if self.department_code:
            items = items.filter(department__code=self.department_code)
        if self.theme_code:
            items = items.filter(themes__code=self.theme_code)
        if self.region_code:
            items = items.filter(region__code=self.region_code)
        return items

    def query(self) -> dict[str, str]:
        """The filters as a query string's parameters (for the places link)."""
        names = {
            "level": self.level,
            "department": self.department_code,
            "theme": self.theme_code,
        }
        return {name: value for name, value in names.items() if value}


@dataclass(frozen=True)
class ServiceEntry:
    """One service in a list."""

    name: str
    basic_code: str
    # One of its items: the link itself when it is offered in one place, and what the places
    # page is reached by otherwise.
    item_key: str
    places: int
    # Of those places, how many are in the remembered street, and in its district.
    in_street: int
    in_district: int

    @property
    def nearness(self) -> int:
        if self.in_street:
            return Nearness.STREET
        if self.in_district:
            return Nearness.DISTRICT
        return Nearness.ELSEWHERE


def service_list(filters: ItemFilters, *, near: Region | None = None) -> list[ServiceEntry]:
    """The services among the published items `filters` select, in one query: those offered
    in the remembered street first, then in its district, then the rest; each group by the
    pinyin of the name."""
    items = filters.apply(item_published())
    code = near.code if near is not None else ""
    street = code[:STREET_DIGITS] if len(code) >= STREET_DIGITS else ""
    district = code[:DISTRICT_DIGITS]
    nowhere = Q(pk__in=[])
    rows = (
        items.order_by()
        .values("basic_code", "name")
        .annotate(
            places=Count("pk"),
            item_key=Min("item_key"),
            in_street=Count("pk", filter=Q(region__code__startswith=street) if street else nowhere),
            in_district=Count(
                "pk", filter=Q(region__code__startswith=district) if district else nowhere
            ),
        )
    )
    entries = [ServiceEntry(**row) for row in rows]
    entries.sort(key=lambda e: (e.nearness, pinyin_key(e.name), e.basic_code))
    return entries


# --- Places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServicePlace:
    """One place a service is offered: the item there, and where it is."""

    item_key: str
    level: str
    region_code: str
    # The region's district and street names ("" above them); the region's own name.
    district_name: str
    street_name: str
    region_name: str
    authority: str
    location: str
    office_hours: str
    nearness: int

    @property
    def level_label(self) -> str:
        return str(ItemLevel(self.level).label)


@dataclass(frozen=True)
class ServicePlaces:
    item: ServiceItem
    places: list[ServicePlace]
    near: Region | None

    @property
    def count(self) -> int:
        return len(self.places)


def _nearness(level: str, region_code: str, near_code: str) -> int:
    if level == ItemLevel.PROVINCE:
        return Nearness.PROVINCE
    if len(near_code) >= STREET_DIGITS and region_code.startswith(near_code[:STREET_DIGITS]):
        return Nearness.STREET
    if near_code and region_code.startswith(near_code[:DISTRICT_DIGITS]):
        return Nearness.DISTRICT
    if level == ItemLevel.CITY:
        return Nearness.CITY
    return Nearness.ELSEWHERE


def service_places(
    item_key: str, filters: ItemFilters | None = None, *, near: Region | None = None
) -> ServicePlaces:
    """Every place offering the service of the published item `item_key` (within
    `filters`), nearest to `near` first. Three queries however many places: the item, its
    places, and the names of their districts and streets."""
    item = item_published().filter(item_key=item_key).first()
    if item is None:
        raise item_not_found(item_key)
    items = (filters or ItemFilters()).apply(
        item_published().filter(basic_code=item.basic_code, name=item.name)
    )
    rows = list(
        items.order_by().values_list(
            "item_key",
            "level",
            "region__code",
            "region__name",
            "department__name",
            "authority_name",
            "location",
            "office_hours",
        )
    )
    above = {code[:n] for _k, _l, code, *_rest in rows if code for n in (6, 9) if len(code) > n}
    names = dict(Region.objects.filter(code__in=sorted(above)).values_list("code", "name"))
    near_code = near.code if near is not None else ""
    places = []
    for key, level, region_code, name, department, authority, location, hours in rows:
        code = region_code or ""
        district = names.get(code[:DISTRICT_DIGITS], name if len(code) == DISTRICT_DIGITS else "")
        street = names.get(code[:STREET_DIGITS], name if len(code) == STREET_DIGITS else "")
        places.append(
            ServicePlace(
                item_key=key,
                level=level,
                region_code=code,
                district_name=district or "",
                street_name=street or "",
                region_name=name or "",
                authority=department or authority,
                location=location,
                office_hours=hours,
                nearness=_nearness(level, code, near_code),
            )
        )
    places.sort(key=lambda p: _place_order(p, near_code))
    return ServicePlaces(item=item, places=places, near=near)


def _place_order(place: ServicePlace, near_code: str) -> tuple[object, ...]:
    # Within a group: the remembered community itself first, then district → street →
    # community by pinyin, a hall before the stations below it (a shorter path sorts first).
    path = tuple(
        pinyin_key(name)
        for name in (place.district_name, place.street_name, place.region_name)
        if name
    )
    path = tuple(dict.fromkeys(path))
    return (place.nearness, place.region_code != near_code, path, place.item_key)
