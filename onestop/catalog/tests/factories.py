"""Items built through the real load path, so tests cannot drift from it."""

from __future__ import annotations

import itertools
from typing import Any

from onestop.catalog.enums import ItemLevel, ItemSource, ItemStatus, OnlineDepth
from onestop.catalog.importing.loader import items_load
from onestop.catalog.importing.records import ItemDraft
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.models import ServiceItem
from onestop.catalog.values import Limit

_serial = itertools.count(1)


def native_row(**overrides: str) -> dict[str, str]:
    """One valid native-layout row: a city police item."""
    n = next(_serial)
    row = {
        "item_key": f"test-item-{n}",
        "name": f"测试事项{n}",
        "item_type": "licensing",
        "level": "city",
        "region_code": "4401",
        "department_code": "GZ-GAJ",
        "department_name": "广州市公安局",
        "statutory_limit": "20(工作日)",
        "promised_limit": "5(工作日)",
        "visits_required": "1",
        "online_depth": "apply",
        "appointment_supported": "yes",
        "cross_district": "no",
        "hall_category": "social",
        "service_objects": "natural",
        "themes": "documents",
        "materials": "居民身份证{required;original;count=1;licence=居民身份证}｜"
        "居民户口簿{required;original;count=1;held}",
        "fee_fen": "0",
    }
    row.update(overrides)
    return row


def item_draft(**overrides: Any) -> ItemDraft:
    n = next(_serial)
    fields: dict[str, Any] = {
        "line": 0,
        "item_key": f"draft-item-{n}",
        "name": f"出入境证件办理{n}",
        "item_type": "licensing",
        "level": ItemLevel.CITY,
        "region_ref": "4401",
        "department_ref": "GZ-GAJ",
        "authority_name": "广州市公安局",
        "statutory": Limit(20, "working_days"),
        "promised": Limit(5, "working_days"),
        "visits_required": 1,
        "online_depth": OnlineDepth.APPLY,
        "appointment_supported": True,
        "hall_category_ref": "social",
        "for_natural_person": True,
        "theme_refs": ["documents"],
        "location": "广州市越秀区解放南路155号",
        "office_hours": "周一至周五 9:00—17:00",
        "consult_phone": "020-83118114",
        "fee_fen": 0,
        "materials": [
            MaterialValue(name="居民身份证", form="original", e_licence_type="居民身份证"),
            MaterialValue(name="居民户口簿", form="original", held_by_government=True),
            MaterialValue(name="授权委托书", requirement="conditional", note="委托他人办理时提供"),
        ],
        "source": ItemSource.NATIVE,
    }
    fields.update(overrides)
    return ItemDraft(**fields)


def published_item(**overrides: Any) -> ServiceItem:
    """A published item, loaded the way an import loads it."""
    draft = item_draft(**overrides)
    report = items_load(actor=None, rows=[draft], source="test")
    assert not report.rejected, report.rejected
    return ServiceItem.objects.get(item_key=draft.item_key, status=ItemStatus.PUBLISHED)
