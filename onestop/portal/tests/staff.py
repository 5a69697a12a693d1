"""Staff accounts holding one role each, with the scope identity.enums.ROLE_SCOPE asks for.

Shared by the portal's tests and the browser journeys in tests/e2e.
"""

from __future__ import annotations

import random

from onestop.core.ids import uscc_generate
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.identity.enums import ROLE_SCOPE, AccountKind, Role, ScopeKind
from onestop.identity.models import RoleAssignment, User

PASSWORD = "correct-horse-battery-42"
CENTRE_ID = 12
GRID_ID = 7
REGION_NAME = "天河区"
DEPARTMENT_NAME = "广州市市场监督管理局"


def tianhe() -> Region:
    city, _ = Region.objects.get_or_create(
        code="440100000000", defaults={"name": "广州市", "level": RegionLevel.CITY}
    )
    region, _ = Region.objects.get_or_create(
        code="440106000000",
        defaults={"name": REGION_NAME, "level": RegionLevel.DISTRICT, "parent": city},
    )
    return region


def market_regulation() -> Department:
    region = tianhe()
    department = Department.objects.filter(code="GZ-SCJGJ").first()
    if department is None:
        uscc = uscc_generate(random.Random("GZ-SCJGJ"), region_code="440100")
        department = Department.objects.create(
            code="GZ-SCJGJ", name=DEPARTMENT_NAME, region=region, uscc=uscc
        )
    return department


def scope_for(role: Role) -> dict:
    kind = ROLE_SCOPE[role]
    if kind == ScopeKind.CENTRE:
        return {"centre_id": CENTRE_ID}
    if kind == ScopeKind.GRID:
        return {"grid_id": GRID_ID}
    if kind == ScopeKind.DEPARTMENT:
        return {"department": market_regulation()}
    return {"region": tianhe()}


def staff_user(
    *roles: Role, username: str = "", display_name: str = "", is_staff: bool = False
) -> User:
    user = User.objects.create_user(
        username or f"staff-{'-'.join(roles) or 'none'}",
        PASSWORD,
        kind=AccountKind.STAFF,
        display_name=display_name,
        is_staff=is_staff,
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, **scope_for(role))
    return user


def citizen_user(username: str = "citizen") -> User:
    return User.objects.create_user(
        username, PASSWORD, kind=AccountKind.CITIZEN, display_name="王小明"
    )
