"""A hall built through the real services: a centre open every day 08:00–20:00, its hall
manager, clerks and kiosk, windows and work profiles."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from onestop.centres.services import SessionSpec, centre_create
from onestop.core.access import Role
from onestop.core.ids import resident_id_generate
from onestop.core.models import Region
from onestop.hall import services
from onestop.hall.models import Ticket, Window, WorkProfile
from onestop.identity.services import RoleGrant, staff_create
from onestop.identity.tests.factories import PersonFactory, platform_admin

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 1 December 2026, a working day.
DAY = datetime(2026, 12, 1, tzinfo=SHANGHAI).date()
OPEN_ALL_WEEK = [SessionSpec(d, time(8), time(20)) for d in range(7)]
_serial = itertools.count(1)


def at(hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """A moment of the test day, Shanghai time."""
    return datetime(DAY.year, DAY.month, DAY.day, hh, mm, ss, tzinfo=SHANGHAI)


def centre(code: str = "", categories: tuple[str, ...] = ("registration", "business", "social")):
    n = next(_serial)
    region, _ = Region.objects.get_or_create(code="440106", defaults={"name": "天河区", "level": 2})
    return centre_create(
        actor=platform_admin(),
        code=code or f"test-centre-{n}",
        name=f"测试政务服务中心{n}",
        level="district",
        region=region,
        address="天河路1号",
        category_codes=list(categories),
        sessions=OPEN_ALL_WEEK,
    )


def staff_at(centre: Any, role: Role, username: str = "") -> Any:
    n = next(_serial)
    return staff_create(
        actor=platform_admin(),
        username=username or f"{role.value}-{n}",
        password="correct-horse-battery-42",
        display_name=f"{role.label} {n}",
        roles=[RoleGrant(role=role, centre_id=centre.pk)],
    )


def person(born: date | None = None, **options: Any) -> Any:
    """A registered person; `born` sets the birth date their ID number carries."""
    if born is not None:
        options["id_number"] = resident_id_generate(
            random.Random(next(_serial)), region_code="440106", birth_date=born, sex="F"
        )
    return PersonFactory.create(**options)


@dataclass
class Hall:
    centre: Any
    manager: Any
    kiosk: Any
    clerks: list[Any] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    profiles: dict[str, WorkProfile] = field(default_factory=dict)

    def issued(
        self, category: str = "social", kind: str = "acceptance", *, now=None, **options
    ) -> services.Issued:
        """A number taken at the kiosk; `person=` a Person puts them on it."""
        person = options.pop("person", None)
        if person is not None:
            options["person_id"] = person.pk
        return services.ticket_issue(
            actor=self.kiosk,
            centre_id=self.centre.pk,
            category=category,
            kind=kind,
            now=now or at(9),
            **options,
        )

    def issue(
        self, category: str = "social", kind: str = "acceptance", *, now=None, **options
    ) -> Ticket:
        return self.issued(category, kind, now=now, **options).ticket

    def open(self, index: int, profile: str = "social", *, now=None) -> Window:
        return services.window_open(
            actor=self.clerks[index],
            window_id=self.windows[index].pk,
            profile_id=self.profiles[profile].pk,
            now=now or at(9),
        )

    def called(self, index: int, *, now=None) -> services.Called | None:
        return services.ticket_call_next(
            actor=self.clerks[index], window_id=self.windows[index].pk, now=now or at(9, 30)
        )

    def call(self, index: int, *, now=None) -> Ticket:
        """The ticket called at window `index` (someone must be waiting)."""
        called = self.called(index, now=now)
        assert called is not None, "nobody is waiting for this window"
        return called.ticket


def hall(*, windows: int = 2, categories=("registration", "business", "social")) -> Hall:
    """A centre with `windows` windows serving every kind of its categories, one clerk each,
    and a profile per category plus "all" (every queue, categories in order)."""
    place = centre(categories=categories)
    manager = staff_at(place, Role.HALL_MANAGER)
    built = Hall(centre=place, manager=manager, kiosk=staff_at(place, Role.HALL_DEVICE))
    for number in range(1, windows + 1):
        built.windows.append(
            services.window_create(
                actor=manager, centre_id=place.pk, number=number, categories=list(categories)
            )
        )
        built.clerks.append(staff_at(place, Role.WINDOW_CLERK))
    kinds = ("acceptance", "consultation", "pickup")
    for code in categories:
        built.profiles[code] = services.profile_save(
            actor=manager, centre_id=place.pk, name=code, queues=[(code, k) for k in kinds]
        )
    built.profiles["all"] = services.profile_save(
        actor=manager,
        centre_id=place.pk,
        name="all",
        queues=[(c, k) for c in categories for k in kinds],
    )
    return built


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)
