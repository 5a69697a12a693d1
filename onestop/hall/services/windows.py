"""Windows, work profiles, prefixes and rules: set up by the hall manager; a clerk signs in
at a window with a profile, pauses, resumes and signs out. All audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import centre_get_by_id
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.i18n import translations_clean
from onestop.core.service import audited
from onestop.hall import events, policies
from onestop.hall.enums import ErrorCode, PriorityGroup, ProfileMode, TicketKind, WindowState
from onestop.hall.models import HallRules, TicketPrefix, Window, WorkProfile, WorkProfileEntry
from onestop.hall.models.config import PREFIX_PATTERN
from onestop.hall.policies import Perm
from onestop.hall.selectors import access_window, window_current_ticket, window_queues
from onestop.identity.actors import StaffUser

if TYPE_CHECKING:
    from onestop.catalog.models import HallCategory
    from onestop.centres.models import Centre


def _categories(codes: Iterable[str], *, centre: Centre | None = None) -> list[HallCategory]:
    known = {c.code: c for c in hall_category_list()}
    wanted = list(dict.fromkeys(codes))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise DomainError(
            ErrorCode.UNKNOWN_CATEGORY,
            _("Unknown hall categories: %(codes)s.") % {"codes": ", ".join(unknown)[:200]},
        )
    if centre is not None:
        offered = set(centre.categories.values_list("code", flat=True))
        missing = [code for code in wanted if code not in offered]
        if missing:
            raise DomainError(
                ErrorCode.CATEGORY_NOT_OFFERED,
                _("The centre does not serve %(codes)s.") % {"codes": ", ".join(missing)},
            )
    return [known[code] for code in wanted]


def _kinds(kinds: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(kinds))
    if not wanted or any(kind not in TicketKind.values for kind in wanted):
        raise DomainError(ErrorCode.UNKNOWN_KIND, _("Name one or more known ticket kinds."))
    return wanted


# --- Set-up by the hall manager --------------------------------------------------------------


@audited("hall.window.create")
def window_create(
    *,
    actor: StaffUser,
    centre_id: int,
    number: int,
    categories: Sequence[str],
    kinds: Sequence[str] = tuple(TicketKind.values),
    label: str = "",
) -> Window:
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    if not 1 <= int(number) <= 9999:
        raise DomainError(ErrorCode.INVALID_WINDOW, _("A window number is 1 to 9999."))
    rows = _categories(categories, centre=centre)
    if not rows:
        raise DomainError(ErrorCode.INVALID_WINDOW, _("A window serves at least one category."))
    kinds = _kinds(kinds)
    if Window.objects.filter(centre=centre, number=number).exists():
        raise Conflict(
            ErrorCode.INVALID_WINDOW,
            _("Window %(number)s exists already.") % {"number": number},
        )
    window = Window.objects.create(centre=centre, number=number, label=label[:60], kinds=kinds)
    window.categories.set(rows)
    audit_record(
        actor=actor,
        action="hall.window.create",
        obj=window,
        after={"number": number, "categories": list(categories), "kinds": kinds},
    )
    return window


@audited("hall.profile.save")
def profile_save(
    *,
    actor: StaffUser,
    centre_id: int,
    name: str,
    queues: Sequence[tuple[str, str]],
    mode: str = ProfileMode.ORDERED,
    name_i18n: Mapping[str, str] | None = None,
) -> WorkProfile:
    """Create a work profile, or replace the queues of the one of that name. `queues` are
    (category code, kind) pairs, called in this order; `name_i18n` the name in English and,
    where OpenCC's conversion is not right, Traditional Chinese."""
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    name = " ".join(str(name).split())[:60]
    if not name:
        raise DomainError(ErrorCode.INVALID_PROFILE, _("A work profile needs a name."))
    if mode not in ProfileMode.values:
        raise DomainError(ErrorCode.INVALID_PROFILE, _("Unknown profile mode."))
    translations = translations_clean(name_i18n, max_length=60, code=ErrorCode.INVALID_PROFILE)
    pairs = list(dict.fromkeys((str(c), str(k)) for c, k in queues))
    if not pairs:
        raise DomainError(
            ErrorCode.INVALID_PROFILE, _("A work profile calls from at least one queue.")
        )
    rows = {row.code: row for row in _categories([c for c, _k in pairs], centre=centre)}
    _kinds(k for _c, k in pairs)
    profile, created = WorkProfile.objects.select_for_update().get_or_create(
        centre=centre, name=name, defaults={"mode": mode}
    )
    before = list(profile.entries.values_list("category__code", "kind"))
    profile.mode = mode
    profile.name_i18n = translations
    profile.is_active = True
    profile.save(update_fields=["mode", "name_i18n", "is_active"])
    profile.entries.all().delete()
    WorkProfileEntry.objects.bulk_create(
        WorkProfileEntry(profile=profile, category=rows[code], kind=kind, position=index)
        for index, (code, kind) in enumerate(pairs)
    )
    audit_record(
        actor=actor,
        action="hall.profile.save",
        obj=profile,
        before=None if created else {"queues": [list(p) for p in before]},
        after={
            "name": name,
            "name_i18n": translations,
            "mode": mode,
            "queues": [list(p) for p in pairs],
        },
    )
    return profile


@audited("hall.prefix.set")
def prefix_set(
    *,
    actor: StaffUser,
    kind: str,
    prefix: str,
    centre_id: int | None = None,
    category: str | None = None,
) -> TicketPrefix:
    """Set the prefix of a kind, for one centre or (platform admins) every centre, for one
    category or any."""
    centre = centre_get_by_id(centre_id) if centre_id is not None else None
    if centre is None:
        policies.RULES.require(actor, Perm.CONFIGURE_ALL)
    else:
        policies.RULES.require(actor, Perm.MANAGE, centre.place)
    _kinds([kind])
    prefix = str(prefix).strip().upper()
    if not re.fullmatch(PREFIX_PATTERN, prefix):
        raise DomainError(ErrorCode.INVALID_PREFIX, _("A prefix is one or two letters A–Z."))
    category_row = _categories([category])[0] if category else None
    row, _created = TicketPrefix.objects.select_for_update().update_or_create(
        centre=centre, category=category_row, kind=kind, defaults={"prefix": prefix}
    )
    audit_record(
        actor=actor,
        action="hall.prefix.set",
        obj=row,
        after={
            "centre": getattr(centre, "pk", None),
            "category": category,
            "kind": kind,
            "prefix": prefix,
        },
    )
    return row


RULE_FIELDS = {
    "elderly_age": (50, 120),
    "fairness_minutes": (1, 600),
    "max_recalls": (0, 10),
    "recall_gap_seconds": (0, 3600),
    "no_show_after_recalls": (0, 10),
    "estimate_window_minutes": (10, 1440),
}


@audited("hall.rules.set")
def rules_set(*, actor: StaffUser, centre_id: int, **values: Any) -> HallRules:
    """Change some of a centre's calling rules (HallRules fields); the others keep their
    values. The check-in window of appointments is appointments' rule, not the hall's."""
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE, centre.place)
    unknown = (
        set(values)
        - set(RULE_FIELDS)
        - {
            "priority_groups",
            "serve_early_appointments_when_idle",
            "default_service_minutes",
        }
    )
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_RULES,
            _("Unknown rules: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    for name, (low, high) in RULE_FIELDS.items():
        if name in values and not (isinstance(values[name], int) and low <= values[name] <= high):
            raise DomainError(
                ErrorCode.INVALID_RULES,
                _("%(name)s must be a whole number from %(low)s to %(high)s.")
                % {"name": name, "low": low, "high": high},
            )
    groups = values.get("priority_groups")
    if groups is not None and any(g not in PriorityGroup.values for g in groups):
        raise DomainError(ErrorCode.UNKNOWN_PRIORITY, _("Unknown priority group."))
    minutes = values.get("default_service_minutes")
    if minutes is not None and any(
        k not in TicketKind.values or not 0 < float(v) <= 240 for k, v in minutes.items()
    ):
        raise DomainError(ErrorCode.INVALID_RULES, _("Service minutes are per kind, 0 to 240."))
    row, _created = HallRules.objects.select_for_update().get_or_create(centre=centre)
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, list(value) if name == "priority_groups" else value)
    row.save()
    audit_record(actor=actor, action="hall.rules.set", obj=row, before=before, after=values)
    return row


# --- A clerk at a window ---------------------------------------------------------------------


def _window_event(window: Window, now: datetime) -> None:
    events.publish_window(window, at=now)


@audited("hall.window.open")
def window_open(
    *, actor: StaffUser, window_id: int, profile_id: int, now: datetime | None = None
) -> Window:
    """The clerk signs in at a window with a work profile; the window opens."""
    now = now or timezone.now()
    row = access_window(actor, window_id, for_update=True)
    policies.RULES.require(actor, Perm.SERVE, row.place)
    chosen = WorkProfile.objects.filter(
        pk=profile_id, centre_id=row.centre_id, is_active=True
    ).first()
    if chosen is None:
        raise NotFound(ErrorCode.PROFILE_NOT_FOUND, _("There is no such work profile here."))
    if row.state != WindowState.CLOSED and row.clerk_id != actor.pk:
        raise Conflict(ErrorCode.WINDOW_TAKEN, _("Someone else is signed in at this window."))
    elsewhere = Window.objects.filter(clerk_id=actor.pk).exclude(pk=row.pk).first()
    if elsewhere is not None:
        raise Conflict(
            ErrorCode.CLERK_ELSEWHERE,
            _("You are signed in at window %(number)s; sign out there first.")
            % {"number": elsewhere.number},
        )
    before = {"state": row.state, "clerk": row.clerk_id, "profile": row.profile_id}
    row.state, row.clerk, row.profile, row.state_changed_at = (
        WindowState.OPEN,
        actor,
        chosen,
        now,
    )
    if not window_queues(row):
        raise DomainError(
            ErrorCode.PROFILE_NOT_SERVED,
            _("This window serves none of the queues of profile %(name)s.") % {"name": chosen.name},
        )
    try:
        with transaction.atomic():
            row.save(update_fields=["state", "clerk", "profile", "state_changed_at"])
    except IntegrityError:
        # Signed in at another window by a concurrent request.
        raise Conflict(
            ErrorCode.CLERK_ELSEWHERE, _("You are signed in at another window.")
        ) from None
    audit_record(
        actor=actor,
        action="hall.window.open",
        obj=row,
        before=before,
        after={"state": row.state, "clerk": actor.pk, "profile": chosen.pk},
    )
    _window_event(row, now)
    return row


def _clerk_window(actor: StaffUser, window_id: int) -> Window:
    row = access_window(actor, window_id, for_update=True)
    if row.state == WindowState.CLOSED:
        raise Conflict(ErrorCode.WINDOW_NOT_OPEN, _("This window is closed."))
    if row.clerk_id != actor.pk:
        raise PermissionDenied(ErrorCode.NOT_AT_WINDOW, _("You are not signed in at this window."))
    return row


def _set_state(actor: StaffUser, row: Window, state: str, now: datetime, action: str) -> Window:
    before = row.state
    row.state, row.state_changed_at = state, now
    row.save(update_fields=["state", "state_changed_at"])
    audit_record(
        actor=actor, action=action, obj=row, before={"state": before}, after={"state": state}
    )
    _window_event(row, now)
    return row


@audited("hall.window.pause")
def window_pause(*, actor: StaffUser, window_id: int, now: datetime | None = None) -> Window:
    now = now or timezone.now()
    row = _clerk_window(actor, window_id)
    if row.state != WindowState.OPEN:
        raise Conflict(ErrorCode.WINDOW_NOT_OPEN, _("This window is not open."))
    return _set_state(actor, row, WindowState.PAUSED, now, "hall.window.pause")


@audited("hall.window.resume")
def window_resume(*, actor: StaffUser, window_id: int, now: datetime | None = None) -> Window:
    now = now or timezone.now()
    row = _clerk_window(actor, window_id)
    if row.state != WindowState.PAUSED:
        raise Conflict(ErrorCode.WINDOW_NOT_OPEN, _("This window is not paused."))
    return _set_state(actor, row, WindowState.OPEN, now, "hall.window.resume")


@audited("hall.window.close")
def window_close(*, actor: StaffUser, window_id: int, now: datetime | None = None) -> Window:
    """The clerk signs out (or the hall manager closes the window). Refused while a ticket
    is called or served there."""
    now = now or timezone.now()
    row = access_window(actor, window_id, for_update=True)
    if row.clerk_id != actor.pk:
        policies.RULES.require(actor, Perm.MANAGE, row.place)
    if row.state == WindowState.CLOSED:
        raise Conflict(ErrorCode.WINDOW_NOT_OPEN, _("This window is closed already."))
    current = window_current_ticket(row)
    if current is not None:
        raise Conflict(
            ErrorCode.WINDOW_BUSY,
            _("Ticket %(display)s is still at this window.") % {"display": current.display},
        )
    before = {"state": row.state, "clerk": row.clerk_id, "profile": row.profile_id}
    row.state, row.clerk, row.profile, row.state_changed_at = (
        WindowState.CLOSED,
        None,
        None,
        now,
    )
    row.save(update_fields=["state", "clerk", "profile", "state_changed_at"])
    audit_record(
        actor=actor,
        action="hall.window.close",
        obj=row,
        before=before,
        after={"state": row.state},
    )
    _window_event(row, now)
    return row
