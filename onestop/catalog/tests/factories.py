"""Items built through the real load path, and accounts through identity's services, so tests
cannot drift from either."""

from __future__ import annotations

import itertools
from typing import Any

from onestop.catalog.enums import ItemLevel, ItemSource, ItemStatus, OnlineDepth
from onestop.catalog.importing.loader import items_load
from onestop.catalog.importing.records import ItemDraft
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.models import ServiceItem
from onestop.catalog.values import Limit
from onestop.core.access import Role
from onestop.core.models import Department
from onestop.identity.models import Citizen, StaffUser
from onestop.identity.tests import factories as accounts

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


# --- Accounts ----------------------------------------------------------------------------------


def platform_admin() -> StaffUser:
    admin = accounts.platform_admin()
    assert isinstance(admin, StaffUser)
    return admin


def approver(department_code: str, *, admin_site: bool = False) -> StaffUser:
    """A department approver of the department with `department_code` (loaded already),
    who may open the Django admin with `admin_site`."""
    department = Department.objects.get(code=department_code)
    account = accounts.StaffFactory.create(
        roles=[{"role": Role.DEPARTMENT_APPROVER, "department": department}],
        admin_site=admin_site,
    )
    assert isinstance(account, StaffUser)
    return account


def staff_with_admin_site() -> StaffUser:
    """Staff who may open the Django admin, with no role."""
    account = accounts.StaffFactory.create(roles=[], admin_site=True)
    assert isinstance(account, StaffUser)
    return account


def citizen() -> Citizen:
    account = accounts.citizen()
    assert isinstance(account, Citizen)
    return account


def local_item(name: str, level: str, region_code: str, **overrides: Any) -> ServiceItem:
    """A district, street or community version of a service, as the demo makes them: the
    district police bureau's, in `region_code`, under one basic code per name."""
    district = region_code[:6]
    return published_item(
        item_key=f"{overrides.pop('key', 'local')}-{name}-{region_code}",
        name=name,
        basic_code=overrides.pop("basic_code", "440106999001"),
        level=level,
        region_ref=region_code,
        department_ref=f"GZ-GAJ-{district}",
        authority_name="公安分局",
        **overrides,
    )
