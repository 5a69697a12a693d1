"""Accounts are typed by their kind wherever they come from, and the audit log records them
as the table they live in."""

import pytest
from django.test import RequestFactory

from onestop.core.access import Role
from onestop.core.errors import PermissionDenied
from onestop.core.models import AuditEntry
from onestop.identity.actors import citizen_of, optional_actor, request_actor, staff_of
from onestop.identity.models import ApiClient, Citizen, HallDevice, StaffUser, User
from onestop.identity.tests.factories import citizen, holder_for, machine, staff

pytestmark = pytest.mark.django_db


def test_every_account_is_its_kinds_type_when_built_and_when_read():
    # given
    accounts = [staff(Role.WINDOW_CLERK), citizen(), holder_for(Role.HALL_DEVICE), machine()]

    # when
    read_back = [User.objects.get(pk=account.pk) for account in accounts]

    # then
    expected = [StaffUser, Citizen, HallDevice, ApiClient]
    assert [type(account) for account in accounts] == expected
    assert [type(account) for account in read_back] == expected


def test_a_views_narrowing_refuses_the_wrong_kind_of_account():
    # given
    request = RequestFactory().get("/")
    request.user = citizen()

    # then
    assert citizen_of(request) is request.user
    assert request_actor(request) is request.user
    with pytest.raises(PermissionDenied):
        staff_of(request)


def test_a_signed_out_request_has_no_actor_and_needs_one_where_one_is_required():
    # given
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    # then
    assert optional_actor(request) is None
    with pytest.raises(PermissionDenied) as refused:
        request_actor(request)
    assert refused.value.status == 401


def test_the_audit_log_names_the_accounts_table_not_its_type():
    # given
    clerk = staff(Role.WINDOW_CLERK)

    # then
    entry = AuditEntry.objects.filter(action="account.create", object_id=str(clerk.pk)).get()
    assert entry.object_type == "identity.user"
