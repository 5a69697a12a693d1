"""Reads for the hall manager: the tables of a date range, computed from the timeline, and
the live board of the hall now.

The tables read the hall's timeline rows (TicketEvent) of the range, ordered by time, in a
fixed number of narrow queries, and fold them in Python (figures.py); ratings come in one
more query. The live
board reads the tickets now in line or at a window and the windows, through the hall's
selectors: it is the hall's present state, not a statistic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import centres_active
from onestop.core.errors import DomainError
from onestop.core.i18n import translate_text, translated
from onestop.hall import selectors as hall_selectors
from onestop.hall.enums import AT_WINDOW, TicketAction, TicketKind, TicketState, WindowState
from onestop.hall_statistics import figures, policies
from onestop.hall_statistics.enums import ErrorCode, TableBy
from onestop.hall_statistics.overview import Overview, overview
from onestop.hall_statistics.policies import Perm
from onestop.identity.actors import StaffUser
from onestop.ratings import selectors as rating_selectors

if TYPE_CHECKING:
    from onestop.centres.models import Centre

MAX_RANGE_DAYS = 92


def range_check(start: date, end: date) -> None:
    if start > end:
        raise DomainError(ErrorCode.INVALID_RANGE, _("The first day is after the last day."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise DomainError(
            ErrorCode.INVALID_RANGE,
            _("Choose at most %(days)d days.") % {"days": MAX_RANGE_DAYS},
        )


def timeline_rows(centre_id: int, start: date, end: date) -> Iterator[Mapping[str, Any]]:
    """The timeline rows of a centre's days, oldest first, each with its ticket's static
    fields, as `figures.ticket_facts` reads them.

    Five queries however many tickets, through the hall's selectors: the tickets, the events
    as bare tuples, the details of the two actions whose detail is read (issued, called), and
    the numbers of the windows and the names of the clerks. Narrow queries cost a third of one
    wide join, where every event row would carry and convert its ticket's fields again."""
    names: dict[int, str] = {}  # a category's name in the reader's language
    tickets: dict[int, dict[str, Any]] = {}
    for pk, row in hall_selectors.statistics_tickets(centre_id, start, end).items():
        category_id = row["category_id"]
        if category_id not in names:
            names[category_id] = translate_text(row["category__name"], row["category__name_i18n"])
        tickets[pk] = {
            **{k: v for k, v in row.items() if not k.startswith("category__")},
            "category_name": names[category_id],
        }
    details = hall_selectors.statistics_event_details(
        centre_id, start, end, [TicketAction.ISSUED, TicketAction.CALLED]
    )
    windows = hall_selectors.window_numbers(centre_id)
    rows = hall_selectors.statistics_events(centre_id, start, end)
    clerk_ids = {row[7] for row in rows if row[7] is not None}
    clerks = {
        pk: name or username
        for pk, name, username in get_user_model()
        .objects.filter(pk__in=clerk_ids)
        .values_list("pk", "display_name", "username")
    }
    for event_id, ticket_id, at, action, from_state, to_state, window_id, actor_id in rows:
        yield {
            **tickets[ticket_id],
            "ticket_id": ticket_id,
            "at": at,
            "action": action,
            "from_state": from_state,
            "to_state": to_state,
            "detail": details.get(event_id) or {},
            "window_id": window_id,
            "window_number": None if window_id is None else windows.get(window_id, window_id),
            "actor_id": actor_id,
            "actor_name": "" if actor_id is None else clerks.get(actor_id, ""),
        }


@dataclass(frozen=True)
class Tables:
    centre: Any
    start: date
    end: date
    tables: dict[str, list[figures.Row]]
    # The headline figures and the charts' series of the same range, when asked for.
    overview: Overview | None = None


def statistics_tables(
    *,
    actor: StaffUser,
    centre: Centre,
    start: date,
    end: date,
    by: Iterable[str] = TableBy.values,
    with_overview: bool = False,
) -> Tables:
    """The tables of a centre for the days `start`..`end` (at most MAX_RANGE_DAYS), and,
    `with_overview`, the headline figures and charts of those days."""
    policies.RULES.require(actor, Perm.VIEW, centre.place)
    range_check(start, end)
    wanted = list(by)
    unknown = [b for b in wanted if b not in TableBy.values]
    if unknown:
        raise DomainError(ErrorCode.INVALID_TABLE, _("Unknown table."), table=unknown[0][:20])
    tickets = figures.ticket_facts(timeline_rows(centre.pk, start, end))
    rated = [
        figures.RatedVisit(
            service_day=r.service_day,
            category_id=r.category_id,
            kind=r.kind,
            window_id=r.window_id,
            clerk_id=r.clerk_id,
            level=r.level,
        )
        for r in rating_selectors.rating_rows(
            actor=actor, centre_id=centre.pk, start=start, end=end
        )
    ]
    none_label = _("Not called")
    all_label = _("All")
    tables = {
        b: figures.table(b, tickets, rated, none_label=none_label, all_label=all_label)
        for b in wanted
    }
    return Tables(
        centre=centre,
        start=start,
        end=end,
        tables=tables,
        overview=overview(tickets, rated, start, end, tables=tables) if with_overview else None,
    )


# --- The live board --------------------------------------------------------------------------


@dataclass
class QueueNow:
    category: str
    category_name: str
    kind: str
    kind_label: str
    waiting: int = 0
    # Checked in ahead of their appointment slot: not in line yet.
    booked_ahead: int = 0
    at_windows: int = 0
    longest_wait_minutes: int = 0


@dataclass(frozen=True)
class WindowNow:
    number: int
    label: str
    state: str
    state_label: str
    clerk: str
    ticket: str

    @property
    def heading(self) -> str:
        """The window as the hall names it: its label, with its number unless the label says
        it already ("1号窗口" rather than "1 · 1号窗口")."""
        if not self.label:
            return _("Window %(number)s") % {"number": self.number}
        if str(self.number) in self.label:
            return self.label
        return f"{self.number} · {self.label}"


@dataclass(frozen=True)
class LiveBoard:
    centre: Any
    at: datetime
    queues: list[QueueNow]
    windows: list[WindowNow]
    waiting: int
    open_windows: int
    longest_wait_minutes: int

    @property
    def busy_queues(self) -> list[QueueNow]:
        """The queues with someone in line, checked in or at a window."""
        return [q for q in self.queues if q.waiting or q.booked_ahead or q.at_windows]


def live_board(*, actor: StaffUser, centre: Centre, now: datetime | None = None) -> LiveBoard:
    """Who is waiting in each queue (category × kind), the longest wait, and the windows."""
    policies.RULES.require(actor, Perm.VIEW, centre.place)
    now = now or timezone.now()
    offered = set(centre.categories.values_list("pk", flat=True))
    queues: dict[tuple[str, str], QueueNow] = {}
    for category in hall_category_list():
        if category.pk in offered:
            for kind in TicketKind:
                queues[(category.code, kind.value)] = QueueNow(
                    category.code, translated(category, "name"), kind.value, str(kind.label)
                )
    current = hall_selectors.ticket_list(
        actor,
        centre.pk,
        day=hall_selectors.service_day_of(now),
        states=[TicketState.WAITING, *sorted(AT_WINDOW)],
    )
    at_window: dict[int, str] = {}
    for ticket in current:
        queue = queues.get((ticket.category.code, ticket.kind))
        if queue is None:
            continue
        if ticket.state in AT_WINDOW:
            queue.at_windows += 1
            if ticket.window_id is not None:
                at_window[ticket.window_id] = ticket.display
        elif ticket.queue_at > now:
            queue.booked_ahead += 1
        else:
            queue.waiting += 1
            waited = int((now - ticket.queue_at) // timedelta(minutes=1))
            queue.longest_wait_minutes = max(queue.longest_wait_minutes, waited)
    windows = [
        WindowNow(
            number=w.number,
            label=w.label,
            state=w.state,
            state_label=str(WindowState(w.state).label),
            clerk=str(w.clerk) if w.clerk_id else "",
            ticket=at_window.get(w.pk, ""),
        )
        for w in hall_selectors.window_list(actor, centre.pk)
    ]
    rows = list(queues.values())
    return LiveBoard(
        centre=centre,
        at=now,
        queues=rows,
        windows=windows,
        waiting=sum(q.waiting for q in rows),
        open_windows=sum(1 for w in windows if w.state == WindowState.OPEN),
        longest_wait_minutes=max((q.longest_wait_minutes for q in rows), default=0),
    )


def statistics_centres(actor: StaffUser) -> list[Centre]:
    """The centres whose statistics `actor` may read, by code."""
    coverage = policies.RULES.coverage(actor, Perm.VIEW)
    return list(centres_active().filter(coverage.q(centre="pk")))
