"""The hotline's demo: the 72 lines, the taxonomy (the real 15/118/517-class one when the
shared data is next to the checkout, otherwise a small stand-in), routes to the district
bureaus, a handler for each demo bureau, and a month of calls and orders across districts,
all through the real services."""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from onestop.core.access import Role
from onestop.core.models import Department, Region
from onestop.hotline import selectors, services
from onestop.hotline.metrics import rollup_days
from onestop.hotline.models import Category, Line, Open311Key, WorkOrder
from onestop.hotline.telephony import SimulatedTelephony
from onestop.identity.actors import StaffUser
from onestop.identity.services import RoleGrant, staff_create

TAXONOMY_NAME = "label_taxonomy_tipdm2020_att1.csv"
# A stand-in for the real taxonomy when it is not available (it is not shipped).
STAND_IN = [
    ("环境保护", "环境污染", "噪音污染"),
    ("环境保护", "环境污染", "大气污染"),
    ("环境保护", "环境污染", "水污染"),
    ("城乡建设", "城市建设和市政管理", "环境卫生"),
    ("城乡建设", "城市建设和市政管理", "城管执法"),
    ("城乡建设", "城市建设和市政管理", "小区管理"),
    ("交通运输", "交通运输", "其他"),
    ("商贸旅游", "市场监管", "其他"),
    ("劳动和社会保障", "劳动关系", "其他"),
]
# Routes by first- or second-level class name: the department (its district bureau when it
# has one).
ROUTES = {
    ("环境保护", "环境污染"): "GZ-STHJJ",
    ("环境保护", ""): "GZ-STHJJ",
    ("城乡建设", ""): "GZ-CGJ",
    ("城乡建设", "住房保障与房地产"): "GZ-ZJJ",
    ("交通运输", ""): "GZ-JTJ",
    ("商贸旅游", ""): "GZ-SCJGJ",
    ("劳动和社会保障", ""): "GZ-RSJ",
    ("卫生计生", ""): "GZ-WJW",
    ("教育文体", ""): "GZ-JYJ",
    ("民政", ""): "GZ-MZJ",
    ("政法", ""): "GZ-GAJ",
    ("国土资源", ""): "GZ-GHZYJ",
    ("农村农业", ""): "GZ-NYNCJ",
    ("经济管理", ""): "GZ-FGW",
    ("科技与信息产业", ""): "GZ-GXJ",
    ("党务政务", ""): "GZ-ZSJ",
    ("纪检监察", ""): "GZ-XFJ",
}
# The demo's handlers: one per bureau in 天河 the demo's orders go to.
HANDLER_DEPARTMENTS = ("GZ-STHJJ", "GZ-CGJ", "GZ-SCJGJ", "GZ-JTJ", "GZ-RSJ")


def handler_username(department_code: str) -> str:
    return f"handler-{department_code[3:].lower()}-th"


# What the demo's banner lists: each handler and the 天河 bureau they work for.
HANDLERS_SHOWN = [(handler_username(code), f"{code}-440106") for code in HANDLER_DEPARTMENTS]
TEXTS = {
    "噪音污染": "{place}附近工地夜间施工，噪音扰民，凌晨仍在打桩，请尽快处理。",
    "大气污染": "{place}有餐馆油烟直排，气味很大，影响居民生活。",
    "水污染": "{place}河涌发黑发臭，疑似有偷排污水。",
    "环境卫生": "{place}路边垃圾堆放多日无人清运。",
    "城管执法": "{place}人行道被占道经营，行人无法通过。",
    "小区管理": "{place}小区物业不作为，电梯长期故障。",
}


@dataclass
class HotlineDemo:
    created: dict[str, int] = field(default_factory=dict)
    handlers: list[tuple[str, str]] = field(default_factory=list)


def taxonomy_path() -> Path | None:
    """The real taxonomy if the shared data sits next to the checkout (or where
    ONESTOP_HOTLINE_TAXONOMY says)."""
    given = os.environ.get("ONESTOP_HOTLINE_TAXONOMY", "")
    candidates = [Path(given)] if given else []
    base = Path(settings.BASE_DIR).resolve()
    candidates += [
        parent / "shared" / "data" / "hotline" / TAXONOMY_NAME for parent in base.parents[:3]
    ]
    return next((path for path in candidates if path.is_file()), None)


def _taxonomy(actor: StaffUser | None, scratch: Path) -> None:
    if Category.objects.exists():
        return
    path = taxonomy_path()
    if path is None:
        path = scratch / "hotline-taxonomy.csv"
        rows = ["level1,level2,level3", *(",".join(row) for row in STAND_IN)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    services.taxonomy_load(actor=actor, path=path)


def _routes(actor: StaffUser | None) -> None:
    for (first, second), department in ROUTES.items():
        top = Category.objects.filter(level=1, name=first).first()
        if top is None:
            continue
        target = top
        if second:
            found = Category.objects.filter(parent=top, name=second).first()
            if found is None:
                continue
            target = found
        services.route_set(actor=actor, category_code=target.code, department_code=department)


def _handlers(actor: StaffUser, password: str) -> list[tuple[str, str]]:
    made = []
    for code in HANDLER_DEPARTMENTS:
        bureau = Department.objects.filter(code=f"{code}-440106").first()
        if bureau is None:
            continue
        username = handler_username(code)
        made.append((username, bureau.name))
        if not _exists(username):
            staff_create(
                actor=actor,
                username=username,
                password=password,
                display_name=f"{bureau.short_name or bureau.name} 承办人",
                roles=[RoleGrant(role=Role.DEPARTMENT_HANDLER, department=bureau)],
            )
    return made


def _exists(username: str) -> bool:
    return get_user_model().objects.filter(username=username).exists()


def hotline_seed_demo(
    *,
    actor: StaffUser,
    agent: StaffUser,
    dispatcher: StaffUser,
    password: str,
    now: datetime,
    days: int = 30,
    orders_per_day: int = 6,
    calls_per_day: int = 200,
    scratch: Path | None = None,
) -> HotlineDemo:
    """Seed the hotline (once: a second run finds the lines and adds nothing)."""
    report = HotlineDemo()
    report.handlers = _handlers(actor, password)
    if Line.objects.exists():
        return report
    report.created["hotline lines"] = services.lines_load(actor=actor).created
    _taxonomy(actor, scratch or Path(settings.BASE_DIR) / "var")
    _routes(actor)
    report.created["hotline classes"] = Category.objects.count()
    rng = random.Random(12345)  # noqa: S311 - demo data
    handler_of = {
        user.grants()[0].department_id or 0: user
        for user in get_user_model().objects.filter(
            username__in=[name for name, _ in report.handlers]
        )
    }
    telephony = SimulatedTelephony(
        list(Line.objects.values_list("code", flat=True)), per_day=calls_per_day
    )
    calls = 0
    for back in range(days, 0, -1):
        day = (now - timedelta(days=back)).date()
        calls += services.calls_register(actor=None, calls=telephony.calls(day))
    report.created["hotline calls"] = calls
    leaves = list(
        Category.objects.filter(
            level=3, parent__parent__name__in=[f for f, _ in ROUTES]
        ).select_related("parent__parent")
    )
    preferred = [c for c in leaves if c.name in TEXTS] or leaves
    communities = list(Region.objects.filter(level=4, code__startswith="4401")[:2000])
    tianhe = [r for r in communities if r.code.startswith("440106")]
    orders = 0
    for back in range(days, 0, -1):
        for _n in range(orders_per_day):
            at = now - timedelta(days=back, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
            category = rng.choice(preferred if rng.random() < 0.7 else leaves)
            region = rng.choice(tianhe if rng.random() < 0.5 and tianhe else communities)
            text = TEXTS.get(
                category.name, "{place}关于“" + category.name + "”的诉求，请相关部门处理。"
            )
            order = services.order_create(
                actor=agent,
                channel="phone",
                request=services.OrderInput(
                    kind=rng.choice(["complaint", "complaint", "help", "report", "suggestion"]),
                    category_code=category.code,
                    region_code=region.code,
                    text=text.format(place=region.name.replace("居委会", "").replace("村委会", "")),
                    contact_phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                    contact_name=rng.choice(["陈先生", "李女士", "黄先生", "林女士", ""]),
                ),
                now=at,
            )
            orders += 1
            if selectors.route_department(order.category, order.region) is None:
                continue  # a class without a route stays with the dispatchers
            order = services.order_dispatch(actor=agent, order_id=order.pk, now=at)
            _handle(order, at=at, back=back, rng=rng, dispatcher=dispatcher, handlers=handler_of)
    report.created["hotline orders"] = orders
    if _multi_department_order(agent=agent, dispatcher=dispatcher, handlers=handler_of, now=now):
        report.created["hotline multi-department orders"] = 1
    # The month's closed days rolled up, as the periodic run would have done (decision 0030).
    report.created["hotline rolled-up days"] = rollup_days().days
    return report


# A 1×1 PNG (a brick-red dot): the demo's photo of the site (no real photo is shipped).
DEMO_PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c633890600000033401518458e5ba0000000049454e44ae426082"
)
MULTI_TEXT = "猎德大道工地夜间打桩噪音扰民，工地材料长期堆放在人行道上，行人只能走机动车道。"
MULTI_PART = "清理工地占用人行道的堆放物，核查占道许可，回复清理情况。"


def _multi_department_order(
    *, agent: Any, dispatcher: Any, handlers: dict[int, Any], now: datetime
) -> WorkOrder | None:
    """One complaint for two bureaus (多部门协办), registered yesterday with a photo: the 天河
    environment bureau leads (the noise), 天河 city management assists (the pavement). Both
    have accepted; the assisting part waits for its reply, the lead for the part's."""
    noise = Category.objects.filter(level=3, name="噪音污染").first()
    liede = Region.objects.filter(code__startswith="440106", level=4, name__contains="猎德").first()
    city_management = Department.objects.filter(code="GZ-CGJ-440106").first()
    if noise is None or liede is None or city_management is None:
        return None
    at = now - timedelta(days=1)
    order = services.order_create(
        actor=agent,
        channel="phone",
        request=services.OrderInput(
            kind="complaint",
            category_code=noise.code,
            region_code=liede.code,
            text=MULTI_TEXT,
            address="猎德大道88号旁工地",
            contact_name="陈先生",
            contact_phone="13800138000",
        ),
        uploads=[services.Upload(content=io.BytesIO(DEMO_PHOTO))],
        now=at,
    )
    order = services.order_dispatch(actor=agent, order_id=order.pk, now=at)
    part = services.order_part_add(
        actor=dispatcher,
        order_id=order.pk,
        department_id=city_management.pk,
        task=MULTI_PART,
        days=2,
        now=at,
    )
    lead = handlers.get(order.department_id or 0)
    assisting = handlers.get(city_management.pk)
    if lead is not None:
        services.order_accept(actor=lead, order_id=order.pk, now=at + timedelta(hours=1))
    if assisting is not None:
        services.part_accept(actor=assisting, part_id=part.pk, now=at + timedelta(hours=2))
    return order


def _handle(
    order: WorkOrder,
    *,
    at: datetime,
    back: int,
    rng: random.Random,
    dispatcher: Any,
    handlers: dict[int, Any],
) -> None:
    """Move an older order along as its department would have, by its own handler; orders
    of departments without a demo handler stay waiting (and fall overdue)."""
    handler = handlers.get(order.department_id or 0)
    if handler is None or back < 2:
        return
    services.order_accept(actor=handler, order_id=order.pk, now=at + timedelta(hours=2))
    if back < 4:
        return
    replied_at = at + timedelta(days=rng.randint(1, 6))
    services.order_reply(
        actor=handler, order_id=order.pk, reply="已到现场核查并责令整改。", now=replied_at
    )
    services.order_return_visit(
        actor=dispatcher,
        order_id=order.pk,
        resolved=rng.random() < 0.85,
        satisfaction=rng.choice(["satisfied", "satisfied", "basically_satisfied", "dissatisfied"]),
        now=replied_at + timedelta(hours=20),
    )


def hotline_demo_key(*, actor: StaffUser | None, now: datetime) -> str:
    """A fresh Open311 key for the demo's banner; the demo keys of earlier starts are
    revoked."""
    for name in Open311Key.objects.filter(name__startswith="demo-", revoked_at=None).values_list(
        "name", flat=True
    ):
        services.open311_key_revoke(actor=actor, name=name)
    return services.open311_key_create(actor=actor, name=f"demo-{now:%Y%m%d%H%M%S}")[1]
