"""The identity rules, one statement per test."""

from typing import Any

import pytest

from onestop.core.access import Actor, Role
from onestop.core.errors import DomainError
from onestop.identity import services
from onestop.identity.policies import RULES, Permission
from onestop.identity.tests.factories import (
    PersonFactory,
    account_with,
    citizen,
    platform_admin,
    region,
    staff,
)

pytestmark = pytest.mark.django_db


def can(actor: Actor | None, permission: str, obj: Any = None) -> bool:
    return RULES.can(actor, permission, obj.place if obj is not None else None)


REVEAL_ID = Permission.PERSON_REVEAL_ID_NUMBER
REVEAL_PHONE = Permission.PERSON_REVEAL_PHONE
REVEAL_CARD = Permission.PERSON_REVEAL_SOCIAL_SECURITY_NO

FULL_IDENTIFIER_ROLES = [Role.WINDOW_CLERK, Role.DEPARTMENT_APPROVER, Role.DATA_STEWARD]
OTHER_ROLES = [role for role in Role if role not in FULL_IDENTIFIER_ROLES]


@pytest.mark.parametrize("role", FULL_IDENTIFIER_ROLES, ids=str)
def test_clerks_approvers_and_stewards_may_reveal_every_identifier(role):
    actor, person = account_with(role), PersonFactory.create()
    assert can(actor, REVEAL_ID, person)
    assert can(actor, REVEAL_PHONE, person)
    assert can(actor, REVEAL_CARD, person)


@pytest.mark.parametrize("role", OTHER_ROLES, ids=str)
def test_no_other_role_may_reveal_an_id_number(role):
    actor, person = account_with(role), PersonFactory.create()
    assert not can(actor, REVEAL_ID, person)
    assert not can(actor, REVEAL_CARD, person)


def test_a_hotline_agent_may_reveal_a_phone_number_only():
    agent, person = staff(Role.HOTLINE_AGENT), PersonFactory.create()
    assert can(agent, REVEAL_PHONE, person)
    assert not can(agent, REVEAL_ID, person)


def test_a_platform_admin_manages_staff_but_does_not_unmask_people():
    admin, person = staff(Role.PLATFORM_ADMIN), PersonFactory.create()
    assert can(admin, Permission.STAFF_MANAGE)
    assert can(admin, Permission.PERSON_VIEW, person)
    assert not can(admin, REVEAL_ID, person)
    assert not can(admin, REVEAL_PHONE, person)


def test_a_superuser_is_a_platform_admin_and_no_more():
    superuser, person = platform_admin(), PersonFactory.create()
    assert can(superuser, Permission.STAFF_MANAGE)
    assert can(superuser, Permission.AUDIT_READ)
    assert not can(superuser, REVEAL_ID, person)


def test_a_citizen_sees_and_unmasks_themselves_and_nobody_else():
    account, stranger = citizen(), PersonFactory.create()
    assert can(account, Permission.PERSON_VIEW, account.person)
    assert can(account, REVEAL_ID, account.person)
    assert not can(account, Permission.PERSON_VIEW, stranger)
    assert not can(account, Permission.PERSON_VIEW)


def test_grid_workers_see_no_persons_until_the_grid_app_scopes_them():
    assert not can(staff(Role.GRID_WORKER), Permission.PERSON_VIEW, PersonFactory.create())


def test_a_grid_manager_sees_the_persons_of_their_region_only():
    # given
    tianhe, yuexiu = region("440106", "天河区"), region("440104", "越秀区")
    street = region("440106001", "五山街道")
    manager = staff(Role.GRID_MANAGER)  # scoped to Tianhe
    at_home = PersonFactory.create(region=street)
    elsewhere = PersonFactory.create(region=yuexiu)

    # then
    assert manager.roles.get().region == tianhe
    assert can(manager, Permission.PERSON_VIEW, at_home)
    assert not can(manager, Permission.PERSON_VIEW, elsewhere)
    assert not can(manager, Permission.PERSON_VIEW, PersonFactory.create(region=None))


def test_asking_about_an_undeclared_permission_is_a_programming_error():
    with pytest.raises(KeyError):
        can(platform_admin(), "person.delete_everything")


def test_no_account_is_not_the_platform_for_identity_permissions():
    assert not can(None, Permission.PERSON_VIEW)


def test_a_switched_off_account_loses_its_permissions():
    # given
    clerk = staff(Role.WINDOW_CLERK)
    services.account_set_active(actor=platform_admin(), user_id=clerk.pk, active=False)
    clerk.refresh_from_db()

    # then
    assert not can(clerk, Permission.PERSON_REGISTER)


def test_require_raises_not_allowed_with_the_permission_named():
    with pytest.raises(DomainError) as raised:
        RULES.require(staff(Role.DISPATCHER), Permission.STAFF_MANAGE)
    assert raised.value.code == "not_allowed"
    assert raised.value.status == 403
    assert raised.value.params == {"permission": "staff.manage"}
    assert raised.value.message == "Only a platform admin manages staff."


def test_everyone_manages_their_own_tokens_and_nobody_elses():
    clerk, account = staff(Role.WINDOW_CLERK), citizen()
    assert can(clerk, Permission.TOKEN_MANAGE, clerk)
    assert can(account, Permission.TOKEN_MANAGE, account)
    assert not can(clerk, Permission.TOKEN_MANAGE, staff())
    assert not can(account, Permission.TOKEN_MANAGE, citizen())
    assert not can(account, Permission.TOKEN_MANAGE, clerk)
