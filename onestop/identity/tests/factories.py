"""Identity test data, built through the real services so tests follow the real path.

The first platform admin is Django's superuser (how an installation bootstraps); every
other account, person and role comes from the services it would come from in production.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import factory

from onestop.core.access import ROLE_SCOPE, Role, ScopeKind
from onestop.core.ids import resident_id_generate, uscc_generate
from onestop.core.models import Department, Region
from onestop.core.models.regions import RegionLevel
from onestop.identity import services
from onestop.identity.models import Citizen, Enterprise, HallDevice, Person, StaffUser, User

PASSWORD = "correct-horse-battery-42"
CENTRE_ID = 12
GRID_ID = 7


def platform_admin() -> StaffUser:
    admin = User.objects.filter(username="root").first() or User.objects.create_superuser(
        "root", PASSWORD, display_name="平台管理员"
    )
    assert isinstance(admin, StaffUser)
    return admin


def region(code: str = "440106", name: str = "天河区") -> Region:
    city, _ = Region.objects.get_or_create(
        code="4401", defaults={"name": "广州市", "level": RegionLevel.CITY}
    )
    if code == city.code:
        return city
    level = RegionLevel.DISTRICT if len(code) == 6 else RegionLevel.STREET
    found, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": city}
    )
    return found


def department(code: str = "GZ-SCJGJ", name: str = "广州市市场监督管理局") -> Department:
    found = Department.objects.filter(code=code).first()
    if found is None:
        found = Department.objects.create(
            code=code,
            name=name,
            region=region(),
            uscc=uscc_generate(random.Random(code), region_code="440100"),
        )
    return found


def scope_for(role: Role) -> dict[str, Any]:
    kind = ROLE_SCOPE[role]
    if kind == ScopeKind.CENTRE:
        return {"centre_id": CENTRE_ID}
    if kind == ScopeKind.GRID:
        return {"grid_id": GRID_ID}
    if kind == ScopeKind.DEPARTMENT:
        return {"department": department()}
    return {"region": region()}


def resident_id(n: int, *, region_code: str = "440106", sex: str = "") -> str:
    rng = random.Random(n)
    return resident_id_generate(
        rng,
        region_code=region_code,
        birth_date=date(1950, 1, 1) + timedelta(days=(37 * n) % 18000),
        sex=sex or "MF"[n % 2],
    )


class PersonFactory(factory.Factory[Person]):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: "陈李黄张梁林"[n % 6] + "晓明")
    id_number = factory.Sequence(resident_id)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    social_security_no = factory.Sequence(lambda n: f"GZ{n:08d}")
    actor = factory.LazyFunction(platform_admin)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Person:
        return services.person_register(**kwargs)


class StaffFactory(factory.Factory[User]):
    """A staff account; `roles=[Role.X, ...]` gives each role in its default scope."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"staff{n}")
    password = PASSWORD
    display_name = "陈晓雯"
    roles: Any = ()
    actor = factory.LazyFunction(platform_admin)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> User:
        roles = [
            {"role": role, **scope_for(Role(role))} if isinstance(role, str) else role
            for role in kwargs.pop("roles")
        ]
        return services.staff_create(roles=roles, **kwargs)


class EnterpriseFactory(factory.Factory[Enterprise]):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"广州粤海科技{n}有限公司")
    uscc = factory.Sequence(lambda n: uscc_generate(random.Random(n), region_code="440106"))
    legal_representative = "黄志强"
    actor = factory.LazyFunction(platform_admin)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Enterprise:
        return services.enterprise_register(**kwargs)


def staff(*roles: Role, **options: Any) -> StaffUser:
    """A member of staff holding `roles` (a hall device is made by `device`)."""
    account = StaffFactory.create(roles=list(roles), **options)
    assert isinstance(account, StaffUser)
    return account


def device(**options: Any) -> HallDevice:
    """A hall device (a kiosk) of the test centre."""
    account = StaffFactory.create(roles=[Role.HALL_DEVICE], **options)
    assert isinstance(account, HallDevice)
    return account


def account_with(role: Role) -> StaffUser | HallDevice:
    """The account that holds `role`: a hall device for the device role, staff otherwise."""
    return device() if role == Role.HALL_DEVICE else staff(role)


def holder_for(role: Role) -> User:
    """An account that may be given `role`: a hall device (already serving another centre)
    for the device role, a member of staff for every other."""
    if role == Role.HALL_DEVICE:
        return StaffFactory.create(roles=[{"role": role, "centre_id": CENTRE_ID + 100}])
    return staff()


def citizen(**person_options: Any) -> Citizen:
    """A person with a citizen account (password PASSWORD)."""
    person = PersonFactory.create(**person_options)
    account = services.citizen_account_create(person=person, password=PASSWORD)
    assert isinstance(account, Citizen)
    return account


def machine(username: str = "kiosk-01") -> User:
    return services.machine_account_create(
        actor=platform_admin(), username=username, display_name="天河政务服务中心自助机"
    )
