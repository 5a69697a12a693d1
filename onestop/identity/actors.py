"""Who is acting: every signed-in request carries one of four account types, and services
name the ones they accept.

    StaffUser   clerks, managers, approvers, agents, handlers, grid workers, admins
    Citizen     a person's own account (always with their Person)
    HallDevice  a kiosk or call-board screen of one centre
    ApiClient   a partner system or script with API tokens

Every User instance is of its kind's type from the moment it is built or read (see
User.__init__), so `request.user` (pages) and `request.auth` (API) already are.
`request_actor(request)` is how a view or an API operation reads them (`optional_actor`
where signing in is optional). Views that serve one kind of account narrow with `staff_of`,
`citizen_of` or `device_or_staff_of`, which refuse the others with a clear error instead of
letting a wrong account reach a service.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.core.errors import PermissionDenied
from onestop.identity.enums import ErrorCode
from onestop.identity.models import ApiClient, Citizen, HallDevice, StaffUser, User

__all__ = [
    "Account",
    "ApiClient",
    "Citizen",
    "HallDevice",
    "StaffUser",
    "as_actor",
    "citizen_of",
    "device_or_staff_of",
    "optional_actor",
    "request_actor",
    "staff_of",
]

Account: TypeAlias = StaffUser | Citizen | HallDevice | ApiClient


def as_actor(user: User) -> Account:
    """The account as its kind's type, for the type checker: every User instance already is
    one (User.__init__), so this only narrows, and refuses an account of no known kind."""
    if not isinstance(user, StaffUser | Citizen | HallDevice | ApiClient):
        raise TypeError(f"account {user.pk} has no known kind: {user.kind!r}")
    return user


def optional_actor(request: HttpRequest) -> Account | None:
    """The account behind a request (session or bearer token), or None when signed out: for
    pages that anyone may open and that show more to the signed-in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return None
    return as_actor(user)


def request_actor(request: HttpRequest) -> Account:
    """The account behind a request that needs one. Deny-by-default (pages) and each API
    operation's `auth` keep signed-out requests away, so this raising is a safety net."""
    actor = optional_actor(request)
    if actor is None:
        raise PermissionDenied(
            ErrorCode.NOT_AUTHENTICATED, _("Sign in to do this."), status=HTTPStatus.UNAUTHORIZED
        )
    return actor


def _wrong_account(message: str) -> PermissionDenied:
    return PermissionDenied(ErrorCode.NOT_ALLOWED, message)


def staff_of(request: HttpRequest) -> StaffUser:
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser):
        raise _wrong_account(_("Sign in with a staff account to do this."))
    return actor


def citizen_of(request: HttpRequest) -> Citizen:
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise _wrong_account(_("Sign in with your own citizen account to do this."))
    return actor


def device_or_staff_of(request: HttpRequest) -> StaffUser | HallDevice:
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser | HallDevice):
        raise _wrong_account(_("Sign in as a hall device or staff to do this."))
    return actor
