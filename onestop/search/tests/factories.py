"""A small catalog for search tests, loaded through the catalog's own load path."""

from __future__ import annotations

from typing import Any

from onestop.catalog.enums import ItemLevel, ItemType
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.models import ServiceItem
from onestop.catalog.tests.factories import published_item

LIWAN, YUEXIU = "440103", "440104"
SHAMIAN = "440103001"  # a street of 荔湾
CUIZHOU = "440103001101"  # a community of 沙面


def item(key: str, name: str, **overrides: Any) -> ServiceItem:
    return published_item(item_key=key, name=name, catalog_name=name, **overrides)


def local(key: str, name: str, level: str, region: str, **overrides: Any) -> ServiceItem:
    district = region[:6]
    return item(
        f"{key}-{region}",
        name,
        level=level,
        region_ref=region,
        department_ref=f"GZ-GAJ-{district}",
        authority_name="公安分局",
        **overrides,
    )


def small_catalog() -> None:
    item("hk-pass", "办理往来港澳通行证")
    item("hk-visit", "办理往来港澳通行证探亲签注")
    item(
        "food",
        "食品经营许可（新办）",
        department_ref="GZ-SCJGJ",
        authority_name="广州市市场监督管理局",
        for_natural_person=False,
        for_legal_person=True,
        item_type=ItemType.LICENSING,
        theme_refs=["business-start"],
        materials=[MaterialValue(name="营业执照"), MaterialValue(name="食品安全管理制度")],
    )
    item(
        "social",
        "城乡居民社会保险费缴纳",
        department_ref="GZ-RSJ",
        authority_name="广州市人力资源和社会保障局",
        item_type=ItemType.PUBLIC_SERVICE,
        online_depth="full",
        theme_refs=["social-security"],
    )
    item(
        "passport-progress",
        "普通护照办证进度查询",
        conditions="申请人已提交护照申请",
        item_type=ItemType.PUBLIC_SERVICE,
    )
    for region, level in ((LIWAN, ItemLevel.DISTRICT), (YUEXIU, ItemLevel.DISTRICT)):
        local("birth", "出生登记（新生儿入户）", level, region)
    local("birth", "出生登记（新生儿入户）", ItemLevel.STREET, SHAMIAN)
    local("birth", "出生登记（新生儿入户）", ItemLevel.COMMUNITY, CUIZHOU)
