"""`onestop seed-demo`: the Guangzhou demo, built through the real services.

Deterministic: the same seed gives the same regions, departments, staff, people and
companies on every machine. Re-running changes nothing once the demo is there.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from onestop.appointments.demo import appointments_seed_demo
from onestop.cases.demo import cases_seed_demo
from onestop.catalog.demo import catalog_build_demo
from onestop.centres.selectors import centre_get
from onestop.core.access import Role
from onestop.core.audit import audit_record
from onestop.core.departments import department_get, departments_load
from onestop.core.regions import region_get, regions_load
from onestop.delivery.demo import delivery_seed_demo
from onestop.demo.accounts import DEMO_PASSWORD, DEMO_STAFF, DemoStaff
from onestop.demo.centres import DEMO_CENTRE_CODE, centres_seed_demo
from onestop.demo.people import demo_companies, demo_people
from onestop.hall.demo import hall_seed_demo
from onestop.hotline.demo import hotline_seed_demo
from onestop.identity import services
from onestop.identity.enums import AccountKind
from onestop.identity.models import StaffUser, User
from onestop.identity.selectors import enterprise_find_by_uscc, person_find_by_id_number
from onestop.identity.services.roles import RoleGrant
from onestop.licences.demo import DemoHolder, licences_seed_demo
from onestop.ratings.demo import ratings_seed_demo
from onestop.search.services import search_index_rebuild

SEED = 2026
CITIZENS = 300
COMPANIES = 24
# Citizens after the first (the README's 13800138000, left free for whoever tries the demo)
# who book, visit and rate the hall on the demo's day. Their accounts have random passwords.
HALL_VISITORS = 12
# Scopes of the demo's staff. Grids are numbered until the grid app owns them.
DEMO_GRID_ID = 1
DEPARTMENT_OF = {
    Role.DEPARTMENT_APPROVER: "GZ-SCJGJ",
    Role.DEPARTMENT_HEAD: "GZ-SCJGJ",
    Role.DEPARTMENT_HANDLER: "GZ-CGJ",
    Role.DATA_STEWARD: "GZ-ZSJ",
}
REGION_OF = {Role.GRID_MANAGER: "440106"}


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)


def _grant(role: Role, centre_id: int | None = None) -> RoleGrant:
    if role in DEPARTMENT_OF:
        return RoleGrant(role=role, department=department_get(DEPARTMENT_OF[role]))
    if role in (Role.WINDOW_CLERK, Role.HALL_MANAGER, Role.HALL_DEVICE):
        return RoleGrant(role=role, centre_id=centre_id)
    if role == Role.GRID_WORKER:
        return RoleGrant(role=role, grid_id=DEMO_GRID_ID)
    return RoleGrant(role=role, region=region_get(REGION_OF.get(role, "4401")))


def _platform_admin(spec: DemoStaff) -> User:
    """The first administrator, as `createsuperuser` would make one: every other account
    is then made by this one, through the services."""
    with transaction.atomic():
        admin = User.objects.create_superuser(
            spec.username, DEMO_PASSWORD, display_name=spec.display_name
        )
        audit_record(
            actor=None, action="staff.bootstrap", obj=admin, after={"username": spec.username}
        )
    services.role_assign(actor=admin, user=admin, **_grant(spec.role).__dict__)
    return admin


def _staff(username: str) -> StaffUser:
    user = User.objects.get(username=username)
    assert isinstance(user, StaffUser)  # User rows come back as their kind's account type
    return user


def seed_demo(
    *, citizens: int = CITIZENS, companies: int = COMPANIES, catalog: bool = True
) -> SeedReport:
    """`catalog=False` leaves out the service catalog and its search index (88,000 items),
    which nothing else of the demo needs: tests of the rest run without building it."""
    report = SeedReport()
    regions_load()
    departments_load()
    if User.objects.filter(kind=AccountKind.STAFF).exists():
        report.created["staff"] = 0
    else:
        admin_spec = next(s for s in DEMO_STAFF if s.role == Role.PLATFORM_ADMIN)
        admin = _platform_admin(admin_spec)
        assert isinstance(admin, StaffUser)
        report.created["centres"] = centres_seed_demo(actor=admin)
        centre_id = centre_get(DEMO_CENTRE_CODE).pk
        for spec in DEMO_STAFF:
            if spec is admin_spec:
                continue
            services.staff_create(
                actor=admin,
                username=spec.username,
                password=DEMO_PASSWORD,
                display_name=spec.display_name,
                roles=[_grant(spec.role, centre_id)],
            )
        report.created["staff"] = len(DEMO_STAFF)

    clerk = User.objects.get(username="clerk")
    people = demo_people(citizens, seed=SEED)
    new_people = 0
    for n, someone in enumerate(people):
        if person_find_by_id_number(someone.id_number) is not None:
            continue
        person = services.person_register(
            actor=clerk,
            name=someone.name,
            id_number=someone.id_number,
            phone=someone.phone,
            social_security_no=someone.social_security_no,
        )
        if n == 0:
            services.citizen_account_create(person=person, password=DEMO_PASSWORD)
        new_people += 1
    report.created["citizens"] = new_people

    new_companies = 0
    for company in demo_companies(companies, seed=SEED):
        if enterprise_find_by_uscc(company.uscc) is not None:
            continue
        services.enterprise_register(
            actor=clerk,
            name=company.name,
            uscc=company.uscc,
            legal_representative=people[new_companies % len(people)].name,
            region=region_get(company.district_code),
        )
        new_companies += 1
    report.created["enterprises"] = new_companies

    admin = User.objects.get(username="admin")
    assert isinstance(admin, StaffUser)
    if catalog:
        catalog_build_demo(actor=admin)
        search_index_rebuild()
    report.created["appointment templates"] = appointments_seed_demo(actor=admin)
    # The hall's day is placed before this moment, on its service day (decision 0016).
    now = timezone.now()
    visitors = [_visitor_account(someone.id_number) for someone in people[1 : HALL_VISITORS + 1]]
    hall = hall_seed_demo(actor=admin, now=now, citizens=visitors)
    report.created.update({f"hall {what}": n for what, n in hall.created.items()})
    ratings = ratings_seed_demo(
        visits=hall.finished, manager=User.objects.get(username="hallmanager"), now=now
    )
    report.created["ratings"] = ratings.ratings
    report.created["rating follow-ups"] = ratings.follow_ups
    hotline = hotline_seed_demo(
        actor=admin,
        agent=_staff("agent"),
        dispatcher=_staff("dispatcher"),
        password=DEMO_PASSWORD,
        now=now,
    )
    report.created.update(hotline.created)
    report.created.update(
        cases_seed_demo(
            actor=admin,
            password=DEMO_PASSWORD,
            id_numbers=[someone.id_number for someone in people[HALL_VISITORS + 1 :]],
            now=now,
        ).created
    )
    report.created["e-licences"] = licences_seed_demo(
        actor=admin,
        people=[DemoHolder(someone.name, someone.id_number) for someone in people[:10]],
        companies=[DemoHolder(c.name, c.uscc) for c in demo_companies(companies, seed=SEED)[:8]],
    )
    report.created["pickup lockers"] = delivery_seed_demo(actor=admin, centre_code=DEMO_CENTRE_CODE)
    return report


def _visitor_account(id_number: str) -> User:
    person = person_find_by_id_number(id_number)
    assert person is not None, "the demo's people are registered above"
    account = User.objects.filter(person=person).first()
    if account is not None:
        return account
    # Nobody signs in as them: they only play the demo's day.
    return services.citizen_account_create(person=person, password=secrets.token_urlsafe(24))
