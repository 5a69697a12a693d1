from collections.abc import Callable

import pytest

from onestop.core.access import ROLE_SCOPE, Role, ScopeKind, roles_of
from onestop.core.errors import DomainError
from onestop.core.models import AuditEntry
from onestop.identity import services
from onestop.identity.enums import AccountKind
from onestop.identity.models import HallDevice, RoleAssignment, User
from onestop.identity.tests.factories import (
    CENTRE_ID,
    GRID_ID,
    PASSWORD,
    account_with,
    citizen,
    department,
    holder_for,
    platform_admin,
    region,
    scope_for,
    staff,
)

pytestmark = pytest.mark.django_db

ALL_SCOPES = {"department", "region", "centre_id", "grid_id"}


def _scope_value(field: str) -> object:
    makers: dict[str, Callable[[], object]] = {
        "department": department,
        "region": region,
        "centre_id": lambda: CENTRE_ID,
        "grid_id": lambda: GRID_ID,
    }
    return makers[field]()


def _wanted(role: Role) -> str:
    return {
        ScopeKind.DEPARTMENT: "department",
        ScopeKind.REGION: "region",
        ScopeKind.CENTRE: "centre_id",
        ScopeKind.GRID: "grid_id",
    }[ROLE_SCOPE[role]]


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count()


def test_platform_admin_creates_staff_with_roles_in_one_audited_step():
    # given
    admin = platform_admin()

    # when
    user = services.staff_create(
        actor=admin,
        username="clerk.chen",
        password=PASSWORD,
        display_name="陈晓雯",
        roles=[{"role": Role.WINDOW_CLERK, "centre_id": CENTRE_ID}],
    )

    # then
    assert user.kind == AccountKind.STAFF
    assert user.check_password(PASSWORD)
    assert [(a.role, a.centre_id) for a in user.roles.all()] == [("window_clerk", CENTRE_ID)]
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["account.create", "role.assign"]
    assert PASSWORD not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"username": "x"}, "invalid_username"),
        ({"username": "陈晓雯"}, "invalid_username"),
        ({"username": "ROOT"}, "duplicate_username"),
        ({"password": "123"}, "weak_password"),
        ({"password": "password"}, "weak_password"),
        ({"display_name": ""}, "invalid_name"),
        ({"roles": [{"role": Role.WINDOW_CLERK}]}, "role_scope_missing"),
        ({"roles": [{"role": "tea_maker", "centre_id": 1}]}, "unknown_role"),
    ],
)
def test_bad_staff_input_is_refused_and_changes_nothing(options, code):
    # given
    admin = platform_admin()
    before = _counts()
    arguments = {
        "username": "clerk.chen",
        "password": PASSWORD,
        "display_name": "陈晓雯",
        "roles": [],
        **options,
    }

    # when
    with pytest.raises(DomainError) as raised:
        services.staff_create(actor=admin, **arguments)

    # then
    assert raised.value.code == code
    assert _counts() == before


NOT_ADMIN_ROLES = [role for role in Role if role != Role.PLATFORM_ADMIN]


@pytest.mark.parametrize("role", NOT_ADMIN_ROLES, ids=[role.value for role in NOT_ADMIN_ROLES])
def test_other_roles_may_not_create_staff(role):
    # given
    actor = account_with(role)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.staff_create(
            actor=actor, username="new.one", password=PASSWORD, display_name="新同事"
        )

    # then
    assert raised.value.code == "not_allowed"
    assert _counts() == before


def test_a_holder_of_the_platform_admin_role_may_create_staff():
    # given
    actor = staff(Role.PLATFORM_ADMIN)

    # when
    user = services.staff_create(
        actor=actor, username="new.one", password=PASSWORD, display_name="新同事"
    )

    # then
    assert AuditEntry.objects.get(action="account.create", object_id=str(user.pk)).actor_id == (
        actor.pk
    )


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_is_assigned_in_exactly_its_own_scope(role):
    # given
    admin = platform_admin()
    user = holder_for(role)

    # when
    assignment = services.role_assign(actor=admin, user=user, role=role, **scope_for(role))

    # then
    assert assignment.role == role
    given = {field for field in ALL_SCOPES if getattr(assignment, field) is not None}
    assert given == {_wanted(role)}
    assert role in [Role(a.role) for a in user.role_assignments()]


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_a_role_without_its_scope_is_refused(role):
    # given
    admin = platform_admin()
    user = holder_for(role)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(actor=admin, user=user, role=role)

    # then
    assert raised.value.code == "role_scope_missing"
    assert raised.value.params["scope"] == ROLE_SCOPE[role].value
    assert _counts() == before


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_a_role_with_another_scope_as_well_is_refused(role):
    # given
    admin = platform_admin()
    user = holder_for(role)
    other = next(field for field in sorted(ALL_SCOPES) if field != _wanted(role))
    scopes = {**scope_for(role), other: _scope_value(other)}
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(actor=admin, user=user, role=role, **scopes)

    # then
    assert raised.value.code == "role_scope_missing"
    assert raised.value.params["unexpected"] == [other]
    assert _counts() == before


def test_the_same_role_twice_in_the_same_scope_is_a_conflict():
    # given
    admin = platform_admin()
    user = staff(Role.WINDOW_CLERK)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(actor=admin, user=user, role=Role.WINDOW_CLERK, centre_id=CENTRE_ID)

    # then
    assert raised.value.code == "duplicate_role_assignment"
    assert _counts() == before


def test_the_same_role_in_another_centre_is_a_second_assignment():
    # given
    admin = platform_admin()
    user = staff(Role.WINDOW_CLERK)

    # when
    services.role_assign(actor=admin, user=user, role=Role.WINDOW_CLERK, centre_id=CENTRE_ID + 1)

    # then
    centres = user.roles.order_by("centre_id").values_list("centre_id", flat=True)
    assert list(centres) == [CENTRE_ID, CENTRE_ID + 1]


def test_a_hall_device_holds_the_device_role_and_staff_hold_every_other():
    # given
    admin = platform_admin()
    clerk, kiosk = staff(Role.WINDOW_CLERK), holder_for(Role.HALL_DEVICE)
    before = _counts()

    # when
    with pytest.raises(DomainError) as to_staff:
        services.role_assign(actor=admin, user=clerk, role=Role.HALL_DEVICE, centre_id=CENTRE_ID)
    with pytest.raises(DomainError) as to_device:
        services.role_assign(actor=admin, user=kiosk, role=Role.WINDOW_CLERK, centre_id=CENTRE_ID)

    # then
    assert kiosk.kind == AccountKind.DEVICE
    assert isinstance(kiosk, HallDevice)
    assert to_staff.value.code == to_device.value.code == "not_staff_account"
    assert _counts() == before


def test_citizens_cannot_hold_roles():
    # given
    admin = platform_admin()
    account = citizen()
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(actor=admin, user=account, role=Role.WINDOW_CLERK, centre_id=1)

    # then
    assert raised.value.code == "not_staff_account"
    assert _counts() == before


def test_a_department_that_does_not_exist_is_refused():
    # given
    admin = platform_admin()
    user = staff()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(
            actor=admin, user=user, role=Role.DEPARTMENT_APPROVER, department=999_999
        )

    # then
    assert raised.value.code == "unknown_department"


def test_a_window_clerk_cannot_give_themselves_a_role():
    # given
    clerk = staff(Role.WINDOW_CLERK)
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.role_assign(
            actor=clerk, user=clerk, role=Role.DATA_STEWARD, department=department()
        )

    # then
    assert raised.value.code == "not_allowed"
    assert _counts() == before


def test_revoking_a_role_takes_it_away_and_is_audited():
    # given
    admin = platform_admin()
    user = staff(Role.HOTLINE_AGENT, Role.DISPATCHER)
    agent = user.roles.get(role=Role.HOTLINE_AGENT)

    # when
    services.role_revoke(actor=admin, assignment_id=agent.pk, reason="moved to the hall")

    # then
    assert list(user.roles.values_list("role", flat=True)) == ["dispatcher"]
    entry = AuditEntry.objects.get(action="role.revoke")
    assert entry.changes["before"]["role"] == "hotline_agent"
    assert entry.reason == "moved to the hall"


def test_revoking_a_missing_assignment_is_not_found():
    with pytest.raises(DomainError) as raised:
        services.role_revoke(actor=platform_admin(), assignment_id=424242)
    assert raised.value.code == "role_assignment_not_found"


def test_the_platform_admin_role_is_held_by_superusers_and_its_holders_only():
    # given
    superuser = platform_admin()
    role_holder = staff(Role.PLATFORM_ADMIN)
    clerk = staff(Role.WINDOW_CLERK)
    switched_off = staff(Role.PLATFORM_ADMIN)
    services.account_set_active(actor=superuser, user_id=switched_off.pk, active=False)
    switched_off.refresh_from_db()

    # then
    assert Role.PLATFORM_ADMIN in roles_of(superuser)
    assert Role.PLATFORM_ADMIN in roles_of(role_holder)
    assert Role.PLATFORM_ADMIN not in roles_of(clerk)
    assert roles_of(citizen()) == []
    assert roles_of(switched_off) == []


def test_a_machine_account_has_no_usable_password():
    # given
    admin = platform_admin()

    # when
    kiosk = services.machine_account_create(
        actor=admin, username="kiosk-01", display_name="自助机 1"
    )

    # then
    assert kiosk.kind == AccountKind.MACHINE
    assert not kiosk.has_usable_password()


def test_a_person_opens_one_account_only():
    # given
    person = citizen().person
    assert person is not None
    before = _counts()

    # when
    with pytest.raises(DomainError) as raised:
        services.citizen_account_create(person=person, password=PASSWORD)

    # then
    assert raised.value.code == "person_has_account"
    assert _counts() == before
