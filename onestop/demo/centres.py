"""The demo's service centres: the city's centre, one per district and two street centres
in Tianhe, each with a timetable like the real halls' (09:00–12:00 and 13:00–17:00 on
working days; the district centres also on Saturday mornings). Addresses are the demo's own,
not the real buildings'.

The Tianhe district centre, where the demo's clerk, hall manager and kiosk work, is the
exception: it runs round the clock, every day, public holidays included, as the 24-hour
self-service zones of Guangzhou's halls do. So the kiosk, the console and booking work
whenever someone tries the demo (docs/decisions/0016-demo-at-any-hour.md), while the other
centres still show what opening hours and holidays do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from onestop.centres.selectors import Session, centre_timetable, centres_active
from onestop.centres.services import (
    SessionSpec,
    centre_create,
    centre_timetable_set,
    centre_translations_set,
)
from onestop.core.i18n import to_traditional
from onestop.core.regions import region_get
from onestop.identity.actors import StaffUser

ALL_CATEGORIES = ["registration", "business", "construction", "trade", "social"]
STREET_CATEGORIES = ["registration", "social"]

WEEKDAYS = [
    *(SessionSpec(day, time(9), time(12)) for day in range(5)),
    *(SessionSpec(day, time(13), time(17)) for day in range(5)),
]
WITH_SATURDAY = [*WEEKDAYS, SessionSpec(5, time(9), time(12))]
# 00:00 to the last microsecond of the day: a session may not run past midnight.
ROUND_THE_CLOCK = [SessionSpec(day, time(0), time.max) for day in range(7)]

DISTRICTS = [
    ("lw", "440103", "荔湾区", "Liwan"),
    ("yx", "440104", "越秀区", "Yuexiu"),
    ("hz", "440105", "海珠区", "Haizhu"),
    ("th", "440106", "天河区", "Tianhe"),
    ("by", "440111", "白云区", "Baiyun"),
    ("hp", "440112", "黄埔区", "Huangpu"),
    ("py", "440113", "番禺区", "Panyu"),
    ("hd", "440114", "花都区", "Huadu"),
    ("ns", "440115", "南沙区", "Nansha"),
    ("ch", "440117", "从化区", "Conghua"),
    ("zc", "440118", "增城区", "Zengcheng"),
]
# The centre the demo's clerk and hall manager work at.
DEMO_CENTRE_CODE = "gz-th"


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    level: str
    region: str
    categories: list[str]
    sessions: list[SessionSpec]
    open_on_holidays: bool = False
    name_en: str = ""

    @property
    def address(self) -> str:
        return f"{self.name}（演示地址）"

    @property
    def name_i18n(self) -> dict[str, str]:
        return {"en": self.name_en, "zh-hant": to_traditional(self.name)}

    @property
    def address_i18n(self) -> dict[str, str]:
        return {"en": f"{self.name_en} (demo address)", "zh-hant": to_traditional(self.address)}


CENTRES = [
    CentreSpec(
        "gz-city",
        "广州市政务服务中心",
        "city",
        "4401",
        ALL_CATEGORIES,
        WEEKDAYS,
        name_en="Guangzhou Government Service Centre",
    ),
    *(
        CentreSpec(
            f"gz-{short}",
            f"{name}政务服务中心",
            "district",
            code,
            ALL_CATEGORIES,
            ROUND_THE_CLOCK if f"gz-{short}" == DEMO_CENTRE_CODE else WITH_SATURDAY,
            open_on_holidays=f"gz-{short}" == DEMO_CENTRE_CODE,
            name_en=f"{english} District Government Service Centre",
        )
        for short, code, name, english in DISTRICTS
    ),
    CentreSpec(
        "gz-th-wushan",
        "五山街道政务服务中心",
        "street",
        "440106001",
        STREET_CATEGORIES,
        WEEKDAYS,
        name_en="Wushan Subdistrict Government Service Centre",
    ),
    CentreSpec(
        "gz-th-shipai",
        "石牌街道政务服务中心",
        "street",
        "440106006",
        STREET_CATEGORIES,
        WEEKDAYS,
        name_en="Shipai Subdistrict Government Service Centre",
    ),
]


def _timetable_of(spec: CentreSpec) -> dict[int, list[Session]]:
    table: dict[int, list[Session]] = {weekday: [] for weekday in range(7)}
    for session in sorted(spec.sessions, key=lambda s: (s.weekday, s.opens)):
        table[session.weekday].append(Session(session.opens, session.closes))
    return table


def _keep_hours(actor: StaffUser, centre: Any, spec: CentreSpec) -> None:
    """A demo database made before the demo hall ran round the clock gets its hours."""
    if (
        centre_timetable(centre) != _timetable_of(spec)
        or centre.open_on_holidays != spec.open_on_holidays
    ):
        centre_timetable_set(
            actor=actor,
            centre_id=centre.pk,
            sessions=spec.sessions,
            open_on_holidays=spec.open_on_holidays,
        )


def _keep_names(actor: StaffUser, centre: Any, spec: CentreSpec) -> None:
    """A demo database made before centres had English names gets them (a name someone
    has written since is kept)."""
    if centre.name != spec.name or centre.name_i18n.get("en"):
        return
    centre_translations_set(
        actor=actor,
        centre_id=centre.pk,
        name_i18n={**spec.name_i18n, **centre.name_i18n},
        address_i18n={**spec.address_i18n, **centre.address_i18n},
    )


def centres_seed_demo(*, actor: StaffUser) -> int:
    """Create the demo centres that do not exist yet, and give the demo hall its hours and
    every demo centre its names in English and Traditional Chinese; returns how many
    centres were created."""
    existing = {centre.code: centre for centre in centres_active()}
    created = 0
    for spec in CENTRES:
        if spec.code in existing:
            if spec.code == DEMO_CENTRE_CODE:
                _keep_hours(actor, existing[spec.code], spec)
            _keep_names(actor, existing[spec.code], spec)
            continue
        centre_create(
            actor=actor,
            code=spec.code,
            name=spec.name,
            level=spec.level,
            region=region_get(spec.region),
            address=spec.address,
            phone="12345",
            category_codes=spec.categories,
            sessions=spec.sessions,
            open_on_holidays=spec.open_on_holidays,
            name_i18n=spec.name_i18n,
            address_i18n=spec.address_i18n,
        )
        created += 1
    return created
