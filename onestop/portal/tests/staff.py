"""Accounts for the portal's tests and the browser journeys in tests/e2e, made through the
identity services as production makes them: staff holding roles with the scope
identity.enums.ROLE_SCOPE asks for, and a citizen with a registered person."""

from __future__ import annotations

import itertools
import random
from datetime import date

from onestop.core.access import ROLE_SCOPE, Role, ScopeKind
from onestop.core.ids import resident_id_generate, uscc_generate
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.identity import services
from onestop.identity.models import User
from onestop.identity.services import RoleGrant

PASSWORD = "correct-horse-battery-42"
CENTRE_ID = 12
GRID_ID = 7
REGION_NAME = "天河区"
DEPARTMENT_NAME = "广州市市场监督管理局"
CITIZEN_NAME = "王小明"
CITIZEN_PHONE = "13912345678"

_numbers = itertools.count(1)


def bootstrap_admin() -> User:
    # An installation's first platform admin is Django's superuser; everyone else comes
    # from the services.
    return User.objects.filter(username="bootstrap").first() or User.objects.create_superuser(
        "bootstrap", PASSWORD, display_name="平台管理员"
    )


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
    *roles: Role, username: str = "", display_name: str = "测试人员", is_staff: bool = False
) -> User:
    return services.staff_create(
        actor=bootstrap_admin(),
        username=username or f"staff{next(_numbers)}",
        password=PASSWORD,
        display_name=display_name,
        roles=[RoleGrant(role=role, **scope_for(role)) for role in roles],
        admin_site=is_staff,
    )


def citizen_user() -> User:
    person = services.person_register(
        actor=bootstrap_admin(),
        name=CITIZEN_NAME,
        id_number=resident_id_generate(
            random.Random(1), region_code="440106", birth_date=date(1990, 5, 17), sex="M"
        ),
        phone=CITIZEN_PHONE,
    )
    return services.citizen_account_create(person=person, password=PASSWORD)
