"""Adding centres and changing their timetable and categories. Each write checks the actor,
validates everything before writing, and records an audit entry in its transaction."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres import policies
from onestop.centres.enums import CentreLevel, ErrorCode
from onestop.centres.models import Centre, OpeningSession
from onestop.centres.policies import Perm
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import Region


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


def centre_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    region: Region,
    address: str,
    phone: str = "",
    category_codes: Iterable[str] = (),
    sessions: Sequence[SessionSpec] = (),
) -> Centre:
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
    with transaction.atomic():
        if Centre.objects.filter(code=code).exists() or Centre.objects.filter(name=name).exists():
            raise DomainError(
                ErrorCode.INVALID_CENTRE, _("A centre with this code or name exists already.")
            )
        centre = Centre.objects.create(
            code=code, name=name, level=level, region=region, address=address, phone=phone
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
            },
        )
    return centre


def centre_timetable_set(*, actor: Any, centre: Centre, sessions: Sequence[SessionSpec]) -> None:
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    _check_timetable(sessions)
    with transaction.atomic():
        before = _timetable_summary(centre)
        OpeningSession.objects.filter(centre=centre).delete()
        OpeningSession.objects.bulk_create(
            OpeningSession(centre=centre, weekday=s.weekday, opens=s.opens, closes=s.closes)
            for s in sessions
        )
        audit_record(
            actor=actor,
            action="centre.timetable_set",
            obj=centre,
            before={"timetable": before},
            after={"timetable": _timetable_summary(centre)},
        )


def centre_categories_set(*, actor: Any, centre: Centre, category_codes: Iterable[str]) -> None:
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    categories = _categories(category_codes)
    with transaction.atomic():
        before = sorted(centre.categories.values_list("code", flat=True))
        centre.categories.set(categories)
        audit_record(
            actor=actor,
            action="centre.categories_set",
            obj=centre,
            before={"categories": before},
            after={"categories": sorted(c.code for c in categories)},
        )
