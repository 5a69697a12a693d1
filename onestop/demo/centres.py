"""The demo's service centres: the city's centre, one per district and two street centres
in Tianhe, each with a timetable like the real halls' (09:00–12:00 and 13:00–17:00 on
working days; the district centres also on Saturday mornings). Addresses are the demo's own,
not the real buildings'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from onestop.centres.selectors import centres_active
from onestop.centres.services import SessionSpec, centre_create
from onestop.core.regions import region_get

ALL_CATEGORIES = ["registration", "business", "construction", "trade", "social"]
STREET_CATEGORIES = ["registration", "social"]

WEEKDAYS = [
    *(SessionSpec(day, time(9), time(12)) for day in range(5)),
    *(SessionSpec(day, time(13), time(17)) for day in range(5)),
]
WITH_SATURDAY = [*WEEKDAYS, SessionSpec(5, time(9), time(12))]

DISTRICTS = [
    ("lw", "440103", "荔湾区"),
    ("yx", "440104", "越秀区"),
    ("hz", "440105", "海珠区"),
    ("th", "440106", "天河区"),
    ("by", "440111", "白云区"),
    ("hp", "440112", "黄埔区"),
    ("py", "440113", "番禺区"),
    ("hd", "440114", "花都区"),
    ("ns", "440115", "南沙区"),
    ("ch", "440117", "从化区"),
    ("zc", "440118", "增城区"),
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

    @property
    def address(self) -> str:
        return f"{self.name}（演示地址）"


CENTRES = [
    CentreSpec("gz-city", "广州市政务服务中心", "city", "4401", ALL_CATEGORIES, WEEKDAYS),
    *(
        CentreSpec(
            f"gz-{short}", f"{name}政务服务中心", "district", code, ALL_CATEGORIES, WITH_SATURDAY
        )
        for short, code, name in DISTRICTS
    ),
    CentreSpec(
        "gz-th-wushan", "五山街道政务服务中心", "street", "440106001", STREET_CATEGORIES, WEEKDAYS
    ),
    CentreSpec(
        "gz-th-shipai", "石牌街道政务服务中心", "street", "440106006", STREET_CATEGORIES, WEEKDAYS
    ),
]


def centres_seed_demo(*, actor: Any) -> int:
    """Create the demo centres that do not exist yet; returns how many were created."""
    existing = set(centres_active().values_list("code", flat=True))
    created = 0
    for spec in CENTRES:
        if spec.code in existing:
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
        )
        created += 1
    return created
