"""Hotline test data, built through the real services: an order "in progress" is registered,
dispatched and accepted, never written in that state."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from onestop.core.access import Role
from onestop.core.ids import uscc_generate
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.hotline import services
from onestop.hotline.models import Category, WorkOrder
from onestop.identity.services import RoleGrant, staff_create
from onestop.identity.tests.factories import PASSWORD, platform_admin

# A small taxonomy in the real file's shape (the real one is not shipped).
TAXONOMY_ROWS = [
    ("环境保护", "环境污染", "噪音污染"),
    ("环境保护", "环境污染", "大气污染"),
    ("环境保护", "环境污染", "水污染"),
    ("城乡建设", "城市建设和市政管理", "城管执法"),
    ("城乡建设", "城市建设和市政管理", "环境卫生"),
    ("商贸旅游", "市场监管", "其他"),
]
PHONE = "13800138000"
OTHER_PHONE = "13912345678"
_serial = itertools.count(1)


def taxonomy_file(directory: Path, rows: list[tuple[str, str, str]] | None = None) -> Path:
    path = directory / "taxonomy.csv"
    lines = ["level1,level2,level3", *(",".join(row) for row in rows or TAXONOMY_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _region(code: str, name: str, level: int, parent: Region | None) -> Region:
    found, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return found


def _department(
    code: str, name: str, region: Region, parent: Department | None = None
) -> Department:
    found = Department.objects.filter(code=code).first()
    if found is None:
        found = Department.objects.create(
            code=code,
            name=name,
            short_name=name[-6:],
            region=region,
            parent=parent,
            uscc=uscc_generate(random.Random(code), region_code=region.code[:6].ljust(6, "0")),
        )
    return found


@dataclass
class City:
    """Regions down to a real Tianhe community, two city departments with their Tianhe and
    Yuexiu bureaus, the test taxonomy, routes, and the hotline's staff."""

    city: Region
    tianhe: Region
    yuexiu: Region
    liede_street: Region
    liede: Region
    environment: Department
    environment_tianhe: Department
    environment_yuexiu: Department
    city_management: Department
    city_management_tianhe: Department
    noise: Category
    sanitation: Category
    agent: Any = None
    dispatcher: Any = None
    handler: Any = None
    other_handler: Any = None
    staff: dict[str, Any] = field(default_factory=dict)

    def request(self, **overrides: Any) -> services.OrderInput:
        values: dict[str, Any] = {
            "kind": "complaint",
            "category_code": self.noise.code,
            "region_code": self.liede.code,
            "text": "猎德社区夜间施工噪音扰民，凌晨两点仍在打桩。",
            "address": "猎德大道88号旁工地",
            "contact_name": "陈先生",
            "contact_phone": PHONE,
        }
        values.update(overrides)
        return services.OrderInput(**values)

    def create(
        self, *, channel: str = "phone", now: datetime | None = None, **overrides: Any
    ) -> WorkOrder:
        actor = self.agent if channel == "phone" else None
        return services.order_create(
            actor=actor, channel=channel, request=self.request(**overrides), now=now
        )

    def dispatched(self, **overrides: Any) -> WorkOrder:
        order = self.create(**overrides)
        return services.order_dispatch(actor=self.agent, order_id=order.pk)

    def in_progress(self, **overrides: Any) -> WorkOrder:
        order = self.dispatched(**overrides)
        return services.order_accept(actor=self.handler, order_id=order.pk)

    def replied(self, **overrides: Any) -> WorkOrder:
        order = self.in_progress(**overrides)
        return services.order_reply(
            actor=self.handler, order_id=order.pk, reply="已责令工地停止夜间施工。"
        )


def staff_member(role: Role, **scope: Any) -> Any:
    n = next(_serial)
    return staff_create(
        actor=platform_admin(),
        username=f"{role.value}-{n}",
        password=PASSWORD,
        display_name=f"{role.label} {n}",
        roles=[RoleGrant(role=role, **scope)],
    )


def city(tmp_path: Path) -> City:
    guangzhou = _region("4401", "广州市", RegionLevel.CITY, None)
    tianhe = _region("440106", "天河区", RegionLevel.DISTRICT, guangzhou)
    yuexiu = _region("440104", "越秀区", RegionLevel.DISTRICT, guangzhou)
    street = _region("440106013", "猎德街道", RegionLevel.STREET, tianhe)
    liede = _region("440106013001", "猎德社区居委会", RegionLevel.COMMUNITY, street)
    environment = _department("GZ-STHJJ", "广州市生态环境局", guangzhou)
    environment_tianhe = _department(
        "GZ-STHJJ-440106", "广州市生态环境局天河分局", tianhe, environment
    )
    environment_yuexiu = _department(
        "GZ-STHJJ-440104", "广州市生态环境局越秀分局", yuexiu, environment
    )
    city_management = _department("GZ-CGJ", "广州市城市管理和综合执法局", guangzhou)
    city_management_tianhe = _department(
        "GZ-CGJ-440106", "广州市天河区城市管理和综合执法局", tianhe, city_management
    )
    services.taxonomy_load(path=taxonomy_file(tmp_path))
    noise = Category.objects.get(name="噪音污染")
    sanitation = Category.objects.get(name="环境卫生")
    services.route_set(actor=None, category_code=noise.code[:4], department_code="GZ-STHJJ")
    services.route_set(actor=None, category_code=sanitation.code[:4], department_code="GZ-CGJ")
    place = City(
        city=guangzhou,
        tianhe=tianhe,
        yuexiu=yuexiu,
        liede_street=street,
        liede=liede,
        environment=environment,
        environment_tianhe=environment_tianhe,
        environment_yuexiu=environment_yuexiu,
        city_management=city_management,
        city_management_tianhe=city_management_tianhe,
        noise=noise,
        sanitation=sanitation,
    )
    place.agent = staff_member(Role.HOTLINE_AGENT, region=guangzhou)
    place.dispatcher = staff_member(Role.DISPATCHER, region=guangzhou)
    place.handler = staff_member(Role.DEPARTMENT_HANDLER, department=environment_tianhe)
    place.other_handler = staff_member(Role.DEPARTMENT_HANDLER, department=environment_yuexiu)
    return place


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())
