"""Reading the hall: rules and prefixes, windows and their queues, tickets and their lines.

`access_*` find a row for an actor (a row outside their centres is "not found") and may lock
it. `ticket_by_token` is the one public read: the phone status page knows only the token.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor, Place
from onestop.core.errors import Conflict, NotFound
from onestop.hall import calling, policies
from onestop.hall.enums import AT_WINDOW, ErrorCode, TicketState, WindowState
from onestop.hall.models import (
    HallRules,
    Ticket,
    TicketEvent,
    TicketPrefix,
    Window,
    WorkProfile,
    WorkProfileEntry,
)
from onestop.hall.policies import Perm
from onestop.hall.visits import Visit, visit_of
from onestop.identity.actors import StaffUser


def service_day_of(moment: datetime) -> date:
    return timezone.localdate(moment)


# --- Configuration -------------------------------------------------------------------------


def rules_for(centre_id: int) -> calling.Rules:
    row = HallRules.objects.filter(centre_id=centre_id).first()
    if row is None:
        return calling.DEFAULT_RULES
    defaults = dict(calling.DEFAULT_RULES.default_service_minutes)
    defaults.update({k: float(v) for k, v in (row.default_service_minutes or {}).items()})
    return calling.Rules(
        priority_groups=frozenset(row.priority_groups),
        elderly_age=row.elderly_age,
        fairness=timedelta(minutes=row.fairness_minutes),
        max_recalls=row.max_recalls,
        recall_gap=timedelta(seconds=row.recall_gap_seconds),
        no_show_after_recalls=row.no_show_after_recalls,
        serve_early_appointments_when_idle=row.serve_early_appointments_when_idle,
        estimate_window=timedelta(minutes=row.estimate_window_minutes),
        default_service_minutes=defaults,
    )


def prefix_for(centre_id: int, category_id: int, kind: str) -> str:
    """The most specific prefix row: centre and category, centre, category, any."""
    rows = TicketPrefix.objects.filter(
        Q(centre_id=centre_id) | Q(centre__isnull=True),
        Q(category_id=category_id) | Q(category__isnull=True),
        kind=kind,
    )
    found = sorted(rows, key=lambda row: (row.centre_id is None, row.category_id is None))
    return found[0].prefix if found else kind[0].upper()


def profile_list(centre_id: int) -> QuerySet[WorkProfile]:
    return WorkProfile.objects.filter(centre_id=centre_id, is_active=True).prefetch_related(
        "entries__category"
    )


# --- Windows -------------------------------------------------------------------------------


def _window_not_found() -> NotFound:
    return NotFound(ErrorCode.WINDOW_NOT_FOUND, _("There is no such window."))


def access_window(actor: Actor | None, window_id: int, *, for_update: bool = False) -> Window:
    rows = Window.objects.filter(is_active=True).select_related("profile")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    try:
        window = rows.get(pk=int(window_id))
    except (Window.DoesNotExist, TypeError, ValueError):
        raise _window_not_found() from None
    if not policies.RULES.can(actor, Perm.VIEW, window.place):
        raise _window_not_found()
    return window


def window_list(actor: Actor | None, centre_id: int) -> QuerySet[Window]:
    policies.RULES.require(actor, Perm.VIEW, Place(centre_id=centre_id))
    return (
        Window.objects.filter(centre_id=centre_id, is_active=True)
        .select_related("clerk", "profile")
        .prefetch_related("categories")
    )


def window_queues(window: Window) -> list[calling.Queue]:
    """The queues a signed-in window calls from: its profile's, in order, limited to the
    categories and kinds the window serves."""
    if window.profile_id is None:
        return []
    served = Window.categories.through.objects.filter(window_id=window.pk).values("hallcategory_id")
    entries = WorkProfileEntry.objects.filter(
        profile_id=window.profile_id, category__in=served, kind__in=list(window.kinds)
    ).values_list("category__code", "kind")
    return [calling.Queue(code, kind) for code, kind in entries]


def window_current_ticket(window: Window) -> Ticket | None:
    return Ticket.objects.filter(window=window, state__in=AT_WINDOW).first()


def clerk_window(clerk: StaffUser) -> Window | None:
    """The window `clerk` is signed in at, if any (a clerk holds one window at a time)."""
    return Window.objects.filter(clerk_id=clerk.pk).select_related("centre").first()


def window_visit(window: Window) -> tuple[Ticket | None, Visit | None]:
    """The ticket at `window` and its visit (who, masked, and what they booked)."""
    ticket = window_current_ticket(window)
    return ticket, visit_of(ticket)


def window_current_display(window: Window) -> str | None:
    """The number at the window, if any: the check before each call, without the row."""
    return (
        Ticket.objects.filter(window=window, state__in=AT_WINDOW)
        .values_list("display", flat=True)
        .first()
    )


# --- Lines ---------------------------------------------------------------------------------


def _candidate(row: Any) -> calling.Candidate:
    return calling.Candidate(
        id=row["id"],
        category=row["category__code"],
        kind=row["kind"],
        queue_at=row["queue_at"],
        priority=row["priority"],
        source=row["source"],
    )


def waiting_candidates(
    centre_id: int, day: date, queues: Iterable[calling.Queue], *, exclude: Iterable[int] = ()
) -> list[calling.Candidate]:
    """The waiting tickets of these queues on `day`, as the calling rules see them."""
    wanted = set(queues)
    if not wanted:
        return []
    rows = (
        Ticket.objects.filter(
            centre_id=centre_id,
            service_day=day,
            state=TicketState.WAITING,
            kind__in={q.kind for q in wanted},
            category__code__in={q.category for q in wanted},
        )
        .exclude(pk__in=list(exclude))
        .values("id", "category__code", "kind", "queue_at", "priority", "source")
    )
    return [c for c in map(_candidate, rows) if c.queue in wanted]


def window_next_preview(
    actor: Actor | None, window_id: int, *, now: datetime | None = None
) -> calling.Choice | None:
    """Who this window would call now, and why, without calling."""
    now = now or timezone.now()
    window = access_window(actor, window_id)
    queues = window_queues(window)
    candidates = waiting_candidates(window.centre_id, service_day_of(now), queues)
    mode = window.profile.mode if window.profile else ""
    return calling.choose_next(candidates, queues, rules_for(window.centre_id), now, mode=mode)


# --- Tickets -------------------------------------------------------------------------------


def _ticket_not_found() -> NotFound:
    return NotFound(ErrorCode.TICKET_NOT_FOUND, _("There is no such ticket."))


def access_ticket(actor: Actor | None, ticket_id: int, *, for_update: bool = False) -> Ticket:
    rows = Ticket.objects.select_related("category", "centre", "window")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    try:
        ticket = rows.get(pk=int(ticket_id))
    except (Ticket.DoesNotExist, TypeError, ValueError):
        raise _ticket_not_found() from None
    if not policies.RULES.can(actor, Perm.VIEW, ticket.place):
        raise _ticket_not_found()
    return ticket


def ticket_by_token(token: str) -> Ticket:
    """The current ticket of a visit (the newest of a ticket and its successors)."""
    ticket = (
        Ticket.objects.filter(public_token=str(token)[:32])
        .select_related("window", "category", "centre")
        .order_by("-id")
        .first()
    )
    if ticket is None or not token:
        raise _ticket_not_found()
    return ticket


def ticket_waiting_by_token_locked(token: str) -> Ticket:
    """The current ticket of a visit, locked, for a change its holder makes: only while it
    waits (Conflict once called or ended); NotFound for an unknown token."""
    current = ticket_by_token(token)
    ticket = Ticket.objects.select_for_update().get(pk=current.pk)
    if ticket.state != TicketState.WAITING:
        raise Conflict(
            ErrorCode.ILLEGAL_TRANSITION,
            _("Ticket %(display)s is no longer waiting.") % {"display": ticket.display},
            state=ticket.state,
        )
    return ticket


def ticket_list(
    actor: Actor | None, centre_id: int, *, day: date | None = None, states: Iterable[str] = ()
) -> QuerySet[Ticket]:
    policies.RULES.require(actor, Perm.VIEW, Place(centre_id=centre_id))
    rows = Ticket.objects.filter(
        centre_id=centre_id, service_day=day or timezone.localdate()
    ).select_related("category", "window")
    states = list(states)
    return rows.filter(state__in=states) if states else rows


def ticket_timeline(actor: Actor | None, ticket_id: int) -> list[TicketEvent]:
    """The events of a ticket and of the tickets it came from, oldest first."""
    ticket = access_ticket(actor, ticket_id)
    chain = Ticket.objects.filter(public_token=ticket.public_token, centre_id=ticket.centre_id)
    return list(
        TicketEvent.objects.filter(ticket__in=chain).select_related("window").order_by("at", "id")
    )


def line_of(
    ticket: Ticket, now: datetime, rules: calling.Rules | None = None
) -> list[calling.Candidate]:
    """The ticket's queue in calling order (those in line now, and the ticket itself)."""
    queue = calling.Queue(ticket.category.code, ticket.kind)
    rules = rules or rules_for(ticket.centre_id)
    waiting = waiting_candidates(ticket.centre_id, ticket.service_day, [queue])
    return sorted(
        (c for c in waiting if calling.is_in_line(c, now) or c.id == ticket.pk),
        key=lambda c: calling.line_key(c, rules, now),
    )


def people_ahead(ticket: Ticket, now: datetime, rules: calling.Rules | None = None) -> int | None:
    """How many are before a waiting ticket in its queue; None once it is not waiting."""
    if ticket.state != TicketState.WAITING:
        return None
    order = [c.id for c in line_of(ticket, now, rules)]
    return order.index(ticket.pk) if ticket.pk in order else len(order)


def open_windows_serving(centre_id: int, category_code: str, kind: str) -> tuple[int, int]:
    """(open windows whose profile calls this queue, of them those that call it first)."""
    # Grouped in the database: a big hall has hundreds of windows but a handful of profiles.
    groups = (
        Window.objects.filter(
            centre_id=centre_id, state=WindowState.OPEN, categories__code=category_code
        )
        .values("profile_id", "kinds")
        .annotate(windows=Count("id"))
        .order_by()
    )
    counts: dict[int, int] = {}
    for row in groups:
        if kind in row["kinds"]:
            counts[row["profile_id"]] = counts.get(row["profile_id"], 0) + row["windows"]
    profiles = set(counts)
    if not profiles:
        return 0, 0
    entries = WorkProfileEntry.objects.filter(profile_id__in=profiles).values_list(
        "profile_id", "category__code", "kind", "position"
    )
    first: dict[int, tuple[int, str, str]] = {}
    serving: set[int] = set()
    for profile_id, code, entry_kind, position in entries:
        if (code, entry_kind) == (category_code, kind):
            serving.add(profile_id)
        if profile_id not in first or position < first[profile_id][0]:
            first[profile_id] = (position, code, entry_kind)
    total = sum(n for p, n in counts.items() if p in serving)
    leading = sum(
        n for p, n in counts.items() if p in serving and first[p][1:] == (category_code, kind)
    )
    return total, leading


# Read by hall_statistics.
# The timeline of a centre's days in bulk, read-only, in narrow queries (the reads above take
# one ticket at a time). The statistics check their own permission before they call these.


def _days(centre_id: int, start: date, end: date) -> dict[str, Any]:
    return {"centre_id": centre_id, "service_day__gte": start, "service_day__lte": end}


def statistics_tickets(centre_id: int, start: date, end: date) -> dict[int, dict[str, Any]]:
    """The tickets of a centre's service days `start`..`end` by id, in one query: the fields
    that do not change over a ticket's stay, with its category's name and translations
    (`category__name`, `category__name_i18n`)."""
    return {
        row["id"]: dict(row)
        for row in Ticket.objects.filter(**_days(centre_id, start, end)).values(
            "id",
            "service_day",
            "category_id",
            "kind",
            "source",
            "arrived_at",
            "queue_at",
            "parent_id",
            "category__name",
            "category__name_i18n",
        )
    }


def statistics_events(
    centre_id: int, start: date, end: date
) -> list[tuple[int, int, datetime, str, str, str, int | None, int | None]]:
    """The timeline rows of those days, oldest first, as bare tuples in one query:
    (id, ticket_id, at, action, from_state, to_state, window_id, actor_id)."""
    return list(
        TicketEvent.objects.filter(**_days(centre_id, start, end))
        .order_by("at", "id")
        .values_list(
            "id", "ticket_id", "at", "action", "from_state", "to_state", "window_id", "actor_id"
        )
        .iterator(chunk_size=5000)
    )


def statistics_event_details(
    centre_id: int, start: date, end: date, actions: Iterable[str]
) -> dict[int, dict[str, Any]]:
    """The details of those days' events with one of `actions`, by event id, in one query."""
    return dict(
        TicketEvent.objects.filter(**_days(centre_id, start, end), action__in=list(actions))
        .order_by()
        .values_list("id", "detail")
    )


def window_numbers(centre_id: int) -> dict[int, int]:
    """A centre's windows: id → number, in one query."""
    return dict(Window.objects.filter(centre_id=centre_id).values_list("id", "number"))
