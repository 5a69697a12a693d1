"""Sign-in accounts: a citizen's (tied to a Person), staff (with roles) and machine clients
(kiosks, partner systems, which sign in with API tokens only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onestop.core.access import Role
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.identity import policies
from onestop.identity.enums import AccountKind, ErrorCode
from onestop.identity.models import Person, User
from onestop.identity.policies import Permission
from onestop.identity.services.roles import (
    RoleGrant,
    role_assign_unchecked,
    role_holder_check,
    role_scope_check,
)
from onestop.identity.values import normalize_name

USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{3,150}")
DISPLAY_NAME_MAX_LENGTH = 100


def _username(value: str) -> str:
    username = (value or "").strip()
    if not USERNAME.fullmatch(username):
        raise DomainError(
            ErrorCode.INVALID_USERNAME,
            _("A user name has 3 to 150 letters, digits or the characters _ . @ + -."),
        )
    # Unique regardless of case, so "Clerk" cannot pass for "clerk" in a log or a list.
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(ErrorCode.DUPLICATE_USERNAME, _("This user name is taken."))
    return username


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password or "", user)
    except ValidationError as exc:
        raise DomainError(
            ErrorCode.WEAK_PASSWORD, " ".join(exc.messages), problems=list(exc.messages)
        ) from None


def _insert(user: User) -> None:
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        raise Conflict(ErrorCode.DUPLICATE_USERNAME, _("This user name is taken.")) from None


def _account_summary(user: User) -> dict[str, Any]:
    return {"username": user.username, "kind": user.kind, "is_staff": user.is_staff}


def citizen_account_create(*, person: Person, password: str) -> User:
    """A person opens their own account; they sign in with their mobile number (or an SMS
    code) and this password. The account acts for itself in the audit log."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().filter(pk=person.pk).first()
        if locked is None:
            raise NotFound(ErrorCode.NOT_FOUND, _("No such person."))
        if User.objects.filter(person=locked).exists():
            raise Conflict(ErrorCode.PERSON_HAS_ACCOUNT, _("This person already has an account."))
        user = User(
            username=f"citizen-{locked.pk}",
            kind=AccountKind.CITIZEN,
            display_name=locked.name,
            person=locked,
        )
        _check_password(password, user)
        user.set_password(password)
        _insert(user)
        audit_record(actor=user, action="account.create", obj=user, after=_account_summary(user))
    return user


def staff_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str,
    roles: Iterable[RoleGrant | Mapping[str, Any]] = (),
    admin_site: bool = False,
) -> User:
    """A staff account with its roles; given only the hall device role, a hall device's
    account (a kiosk or a call board, which signs in like staff). Every grant is checked
    before anything is written. `admin_site` lets the account open the Django admin (what it
    may do there still depends on its roles)."""
    policies.RULES.require(actor, Permission.STAFF_MANAGE)
    grants = [role_scope_check(RoleGrant.of(grant)) for grant in roles]
    device = bool(grants) and all(g["role"] == Role.HALL_DEVICE for g in grants)
    kind = AccountKind.DEVICE if device else AccountKind.STAFF
    name = normalize_name(display_name, max_length=DISPLAY_NAME_MAX_LENGTH)
    with transaction.atomic():
        user = User(
            username=_username(username),
            kind=kind,
            display_name=name,
            is_staff=bool(admin_site) and not device,
        )
        for columns in grants:
            role_holder_check(user, columns["role"])
        _check_password(password, user)
        user.set_password(password)
        _insert(user)
        audit_record(actor=actor, action="account.create", obj=user, after=_account_summary(user))
        for columns in grants:
            role_assign_unchecked(actor=actor, user=user, columns=columns)
    return user


def machine_account_create(*, actor: Any, username: str, display_name: str) -> User:
    """A machine client (a hall kiosk, a partner system). It has no password: it calls the
    API with tokens from `api_token_issue`."""
    policies.RULES.require(actor, Permission.STAFF_MANAGE)
    name = normalize_name(display_name, max_length=DISPLAY_NAME_MAX_LENGTH)
    with transaction.atomic():
        user = User(username=_username(username), kind=AccountKind.MACHINE, display_name=name)
        user.set_unusable_password()
        _insert(user)
        audit_record(actor=actor, action="account.create", obj=user, after=_account_summary(user))
    return user


def account_set_active(*, actor: Any, user_id: int, active: bool, reason: str = "") -> User:
    """Switch an account off (or on again). A switched-off account cannot sign in, and its
    sessions and tokens stop working at their next request."""
    policies.RULES.require(actor, Permission.STAFF_MANAGE)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound(ErrorCode.NOT_FOUND, _("No such account."))
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.activate" if active else "account.deactivate",
            obj=user,
            before={"is_active": not active},
            after={"is_active": active},
            reason=reason[:500],
        )
        user.forget_role_assignments()
    return user
