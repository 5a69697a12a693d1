"""Adding centres and changing their timetable, categories and names in other languages.
Each write checks the actor, validates everything before writing, and is @audited: it runs in
one transaction that does not commit without its audit entry."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres import policies
from onestop.centres.enums import CentreLevel, ErrorCode
from onestop.centres.models import Centre, OpeningSession
from onestop.centres.policies import Perm
from onestop.centres.selectors import centre_get_by_id
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.i18n import translations_clean
from onestop.core.models import Region
from onestop.core.service import audited
from onestop.identity.actors import StaffUser


@dataclass(frozen=True)
class SessionSpec:
    weekday: int
    opens: time
    closes: time


def _check_timetable(sessions: Sequence[SessionSpec]) -> None:
    by_day: dict[int, list[SessionSpec]] = {}
    for spec in sessions:
        if not 0 <= spec.weekday <= 6:
            raise DomainError(ErrorCode.INVALID_HOURS, _("A weekday is 0 (Monday) to 6 (Sunday)."))
        if spec.closes <= spec.opens:
            raise DomainError(
                ErrorCode.INVALID_HOURS,
                _("A session must close after it opens (%(opens)s–%(closes)s).")
                % {"opens": f"{spec.opens:%H:%M}", "closes": f"{spec.closes:%H:%M}"},
            )
        by_day.setdefault(spec.weekday, []).append(spec)
    for specs in by_day.values():
        specs.sort(key=lambda s: s.opens)
        for earlier, later in itertools.pairwise(specs):
            if later.opens < earlier.closes:
                raise DomainError(
                    ErrorCode.INVALID_HOURS, _("Two sessions of the same day overlap.")
                )


def _categories(codes: Iterable[str]) -> list[Any]:
    known = {category.code: category for category in hall_category_list()}
    wanted = list(dict.fromkeys(codes))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_CENTRE,
            _("Unknown hall categories: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    return [known[code] for code in wanted]


def _timetable_summary(centre: Centre) -> list[str]:
    return [
        f"{s.weekday} {s.opens:%H:%M}-{s.closes:%H:%M}"
        for s in OpeningSession.objects.filter(centre=centre)
    ]


def _translations(value: Mapping[str, str] | None, max_length: int) -> dict[str, str]:
    return translations_clean(value, max_length=max_length, code=ErrorCode.INVALID_CENTRE)


@audited("centre.create")
def centre_create(
    *,
    actor: StaffUser,
    code: str,
    name: str,
    level: str,
    region: Region,
    address: str,
    phone: str = "",
    category_codes: Iterable[str] = (),
    sessions: Sequence[SessionSpec] = (),
    open_on_holidays: bool = False,
    name_i18n: Mapping[str, str] | None = None,
    address_i18n: Mapping[str, str] | None = None,
) -> Centre:
    """Add a centre; `name_i18n` and `address_i18n` hold its name and address in English
    ("en") and Traditional Chinese ("zh-hant"), which falls back to a conversion."""
    policies.RULES.require(actor, Perm.CREATE)
    if level not in CentreLevel.values:
        raise DomainError(
            ErrorCode.INVALID_CENTRE, _("Unknown centre level %(level)s.") % {"level": level}
        )
    if not code.strip() or not name.strip() or not address.strip():
        raise DomainError(
            ErrorCode.INVALID_CENTRE, _("A centre needs a code, a name and an address.")
        )
    categories = _categories(category_codes)
    _check_timetable(sessions)
    names = _translations(name_i18n, 100)
    addresses = _translations(address_i18n, 200)
    if Centre.objects.filter(code=code).exists() or Centre.objects.filter(name=name).exists():
        raise DomainError(
            ErrorCode.INVALID_CENTRE, _("A centre with this code or name exists already.")
        )
    centre = Centre.objects.create(
        code=code,
        name=name,
        level=level,
        region=region,
        address=address,
        phone=phone,
        open_on_holidays=open_on_holidays,
        name_i18n=names,
        address_i18n=addresses,
    )
    centre.categories.set(categories)
    OpeningSession.objects.bulk_create(
        OpeningSession(centre=centre, weekday=s.weekday, opens=s.opens, closes=s.closes)
        for s in sessions
    )
    audit_record(
        actor=actor,
        action="centre.create",
        obj=centre,
        after={
            "code": code,
            "name": name,
            "level": level,
            "region": region.code,
            "categories": [c.code for c in categories],
            "timetable": _timetable_summary(centre),
            "open_on_holidays": open_on_holidays,
        },
    )
    return centre


@audited("centre.timetable_set")
def centre_timetable_set(
    *,
    actor: StaffUser,
    centre_id: int,
    sessions: Sequence[SessionSpec],
    open_on_holidays: bool | None = None,
) -> Centre:
    """Replace the weekly timetable; `open_on_holidays` None keeps what the centre does on
    public holidays."""
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    _check_timetable(sessions)
    before = {
        "timetable": _timetable_summary(centre),
        "open_on_holidays": centre.open_on_holidays,
    }
    OpeningSession.objects.filter(centre=centre).delete()
    OpeningSession.objects.bulk_create(
        OpeningSession(centre=centre, weekday=s.weekday, opens=s.opens, closes=s.closes)
        for s in sessions
    )
    if open_on_holidays is not None:
        centre.open_on_holidays = open_on_holidays
        centre.save(update_fields=["open_on_holidays"])
    audit_record(
        actor=actor,
        action="centre.timetable_set",
        obj=centre,
        before=before,
        after={
            "timetable": _timetable_summary(centre),
            "open_on_holidays": centre.open_on_holidays,
        },
    )
    return centre


@audited("centre.categories_set")
def centre_categories_set(
    *, actor: StaffUser, centre_id: int, category_codes: Iterable[str]
) -> Centre:
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    categories = _categories(category_codes)
    before = sorted(centre.categories.values_list("code", flat=True))
    centre.categories.set(categories)
    audit_record(
        actor=actor,
        action="centre.categories_set",
        obj=centre,
        before={"categories": before},
        after={"categories": sorted(c.code for c in categories)},
    )
    return centre


@audited("centre.translations_set")
def centre_translations_set(
    *,
    actor: StaffUser,
    centre_id: int,
    name_i18n: Mapping[str, str] | None = None,
    address_i18n: Mapping[str, str] | None = None,
) -> Centre:
    """Set the centre's name and address in other languages; None keeps what is there, an
    empty text removes a language (its reading falls back to the Chinese)."""
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    before = {"name_i18n": dict(centre.name_i18n), "address_i18n": dict(centre.address_i18n)}
    if name_i18n is not None:
        centre.name_i18n = translations_clean(
            name_i18n, max_length=100, code=ErrorCode.INVALID_CENTRE
        )
    if address_i18n is not None:
        centre.address_i18n = translations_clean(
            address_i18n, max_length=200, code=ErrorCode.INVALID_CENTRE
        )
    centre.save(update_fields=["name_i18n", "address_i18n"])
    audit_record(
        actor=actor,
        action="centre.translations_set",
        obj=centre,
        before=before,
        after={"name_i18n": centre.name_i18n, "address_i18n": centre.address_i18n},
    )
    return centre
