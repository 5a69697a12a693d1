"""The access model: roles, where each role applies, and the permission tables every app
declares over them. Deny by default.

A staff member holds roles through assignments, each scoped to one place of the kind its role
is scoped by (`ROLE_SCOPE`): a window clerk to a centre, an approver to a department, a
dispatcher to a region, a grid worker to a grid. Identity stores the assignments; every
account hands them over as `Grant`s.

An app says who may do what in one table of `Rule`s, one per permission:

    RULES = Permissions({
        Perm.SERVE: Rule(scoped={Role.WINDOW_CLERK, Role.HALL_MANAGER},
                         denied=_("You do not work at this centre's windows.")),
        Perm.MANAGE: Rule(scoped={Role.HALL_MANAGER}, anywhere={Role.PLATFORM_ADMIN}),
    })
    RULES.require(actor, Perm.SERVE, ticket.place)
    tickets.filter(RULES.coverage(actor, Perm.VIEW).q(centre="centre_id"))

A role listed as `scoped` acts where its assignment lies: the object's `Place` must carry the
same centre, department or grid, or a region inside the assignment's region. A role listed as
`anywhere` acts city-wide. `owner` lets a person act on what is theirs (their own booking,
their own record); `system` lets the platform act with no account (`actor=None`: a command, a
sweep). Nobody else may, and neither may an inactive account.

Roles live here, below every app, because they are the platform's vocabulary like regions and
departments: the calendar in this app and the outbox above it declare tables too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import PermissionDenied


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    DEPARTMENT_APPROVER = "department_approver", _("Department approver")
    # The head (负责人) of a department: approves extensions of its cases' time limits.
    DEPARTMENT_HEAD = "department_head", _("Department head")
    HOTLINE_AGENT = "hotline_agent", _("Hotline agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    GRID_WORKER = "grid_worker", _("Grid worker")
    GRID_MANAGER = "grid_manager", _("Grid manager")
    DATA_STEWARD = "data_steward", _("Data steward")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    # A kiosk or call-board screen in a hall signs in as a device of its centre.
    HALL_DEVICE = "hall_device", _("Hall device")


class ScopeKind(StrEnum):
    CENTRE = "centre"
    DEPARTMENT = "department"
    REGION = "region"
    GRID = "grid"


# What each role's assignment is scoped to. A role outside this table cannot be assigned.
ROLE_SCOPE: dict[str, ScopeKind] = {
    Role.WINDOW_CLERK: ScopeKind.CENTRE,
    Role.HALL_MANAGER: ScopeKind.CENTRE,
    Role.HALL_DEVICE: ScopeKind.CENTRE,
    Role.DEPARTMENT_APPROVER: ScopeKind.DEPARTMENT,
    Role.DEPARTMENT_HEAD: ScopeKind.DEPARTMENT,
    Role.DEPARTMENT_HANDLER: ScopeKind.DEPARTMENT,
    Role.DATA_STEWARD: ScopeKind.DEPARTMENT,
    Role.HOTLINE_AGENT: ScopeKind.REGION,
    Role.DISPATCHER: ScopeKind.REGION,
    Role.GRID_MANAGER: ScopeKind.REGION,
    Role.PLATFORM_ADMIN: ScopeKind.REGION,
    Role.GRID_WORKER: ScopeKind.GRID,
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where an object sits, as far as permissions care. Models expose theirs as `.place`;
    an object that has no centre (say) is outside every centre-scoped assignment."""

    centre_id: int | None = None
    department_id: int | None = None
    region_code: str = ""
    grid_id: int | None = None
    # Whose it is, for `owner` rules: the person (their booking, their record) or the
    # account (its API tokens).
    person_id: int | None = None
    account_id: int | None = None

    def owned_by(self, actor: Actor) -> bool:
        if self.person_id is not None and self.person_id == actor.person_id:
            return True
        return self.account_id is not None and self.account_id == actor.pk


@dataclass(frozen=True, slots=True)
class Grant:
    """One role held at one place: an account's role assignment as permissions see it."""

    role: str
    centre_id: int | None = None
    department_id: int | None = None
    region_code: str = ""
    grid_id: int | None = None

    def covers(self, place: Place) -> bool:
        kind = ROLE_SCOPE.get(self.role)
        if kind == ScopeKind.CENTRE:
            return self.centre_id is not None and place.centre_id == self.centre_id
        if kind == ScopeKind.DEPARTMENT:
            return self.department_id is not None and place.department_id == self.department_id
        if kind == ScopeKind.GRID:
            return self.grid_id is not None and place.grid_id == self.grid_id
        if kind == ScopeKind.REGION:
            # Region codes nest by prefix (core.regions): a district's code starts every code
            # below it.
            return bool(self.region_code) and place.region_code.startswith(self.region_code)
        return False


class Actor(Protocol):
    """Whoever acts: a staff member, a citizen, a hall device or an API client (identity's
    account types). Services name the narrowest of those they accept; code below identity
    names this protocol. `None` in its place is the platform itself (a sweep, a migration)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def audit_label(self) -> str: ...

    def grants(self) -> Sequence[Grant]: ...


NOT_ALLOWED = _("You are not allowed to do this.")


@dataclass(frozen=True)
class Rule:
    """Who holds one permission: roles within their scope, roles anywhere, the owner, and
    (`system`) the platform itself acting with no account: a command an operator runs, a
    sweep."""

    scoped: Collection[Role] = frozenset()
    anywhere: Collection[Role] = frozenset()
    owner: bool = False
    system: bool = False
    denied: str | Promise = NOT_ALLOWED


@dataclass(frozen=True)
class Coverage:
    """Where an actor holds a permission, to filter a list by: everywhere, or the union of
    some centres, departments, regions and grids, and their own things."""

    everywhere: bool = False
    centre_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    region_codes: frozenset[str] = frozenset()
    grid_ids: frozenset[int] = frozenset()
    person_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not (
            self.everywhere
            or self.centre_ids
            or self.department_ids
            or self.region_codes
            or self.grid_ids
            or self.person_id is not None
        )

    def q(
        self,
        *,
        centre: str = "",
        department: str = "",
        region: str = "",
        grid: str = "",
        person: str = "",
    ) -> Q:
        """A filter for a queryset whose rows carry their place in the named fields
        (`centre="centre_id"`, `region="region__code"`); a kind without a field matches
        nothing."""
        if self.everywhere:
            return Q()
        clauses: list[Q] = []
        if centre and self.centre_ids:
            clauses.append(Q(**{f"{centre}__in": sorted(self.centre_ids)}))
        if department and self.department_ids:
            clauses.append(Q(**{f"{department}__in": sorted(self.department_ids)}))
        if grid and self.grid_ids:
            clauses.append(Q(**{f"{grid}__in": sorted(self.grid_ids)}))
        if region:
            clauses.extend(Q(**{f"{region}__startswith": code}) for code in self.region_codes)
        if person and self.person_id is not None:
            clauses.append(Q(**{person: self.person_id}))
        if not clauses:
            return Q(pk__in=[])
        combined = clauses[0]
        for clause in clauses[1:]:
            combined |= clause
        return combined

    def ids(self, kind: ScopeKind) -> frozenset[int] | None:
        """The ids of one kind of place; None means every one."""
        if self.everywhere:
            return None
        return {
            ScopeKind.CENTRE: self.centre_ids,
            ScopeKind.DEPARTMENT: self.department_ids,
            ScopeKind.GRID: self.grid_ids,
        }.get(kind, frozenset())


def active(actor: Actor | None) -> bool:
    return actor is not None and actor.is_active and actor.pk is not None


class Permissions:
    """One app's permission table. Asking about a permission it does not declare is a
    programming error, not a denial: it raises KeyError at once."""

    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.rules: dict[str, Rule] = dict(rules)

    def _grants(self, actor: Actor | None, permission: str) -> Iterable[tuple[Grant, bool]]:
        rule = self.rules[permission]
        if not active(actor):
            return
        assert actor is not None
        for grant in actor.grants():
            if grant.role in rule.anywhere:
                yield grant, True
            elif grant.role in rule.scoped:
                yield grant, False

    def can(self, actor: Actor | None, permission: str, place: Place | None = None) -> bool:
        """Whether `actor` holds `permission`, at `place` when one is given (without one: held
        somewhere, as a menu asks)."""
        rule = self.rules[permission]
        if actor is None:
            return rule.system
        if not active(actor):
            return False
        if rule.owner and place is not None and place.owned_by(actor):
            return True
        for grant, anywhere in self._grants(actor, permission):
            if anywhere or place is None or grant.covers(place):
                return True
        return False

    def require(self, actor: Actor | None, permission: str, place: Place | None = None) -> None:
        if not self.can(actor, permission, place):
            raise PermissionDenied(
                "not_allowed", gettext(str(self.rules[permission].denied)), permission=permission
            )

    def coverage(self, actor: Actor | None, permission: str) -> Coverage:
        rule = self.rules[permission]
        if not active(actor):
            return Coverage()
        assert actor is not None
        sets: dict[str, set[Any]] = {"centre": set(), "department": set(), "region": set()}
        sets["grid"] = set()
        for grant, anywhere in self._grants(actor, permission):
            if anywhere:
                return Coverage(everywhere=True)
            kind = ROLE_SCOPE.get(grant.role)
            value = (
                {
                    ScopeKind.CENTRE: grant.centre_id,
                    ScopeKind.DEPARTMENT: grant.department_id,
                    ScopeKind.REGION: grant.region_code or None,
                    ScopeKind.GRID: grant.grid_id,
                }.get(kind)
                if kind
                else None
            )
            if kind is not None and value is not None:
                sets[kind.value].add(value)
        return Coverage(
            centre_ids=frozenset(sets["centre"]),
            department_ids=frozenset(sets["department"]),
            region_codes=frozenset(sets["region"]),
            grid_ids=frozenset(sets["grid"]),
            person_id=actor.person_id if rule.owner else None,
        )

    def roles(self, permission: str) -> frozenset[str]:
        """Every role that holds `permission` somewhere (navigation, documentation)."""
        rule = self.rules[permission]
        return frozenset({*rule.scoped, *rule.anywhere})


def signed_in(request: HttpRequest) -> Actor | None:
    """The account behind a request, for code below identity (the core and outbox admin
    pages). Everything above identity reads `identity.actors.request_actor`, which also
    gives the account's type."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user  # type: ignore[no-any-return]


def roles_of(actor: Actor | None) -> list[Role]:
    """The distinct roles an active actor holds, in the order of the Role enum."""
    if not active(actor):
        return []
    assert actor is not None
    held = {grant.role for grant in actor.grants()}
    return [role for role in Role if role.value in held]
