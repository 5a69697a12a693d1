"""The calling rules: who is called next at a window, and why.

Pure functions over plain data, so the rules can be read and tested on their own; the
services load the waiting tickets, call `choose_next` and claim the ticket it names.

1. A window calls from the queues (category × kind) of its clerk's work profile (工作配置).
   In the profile's order, the first queue with someone in line is served; or, if the profile
   says "longest wait", whoever is first in line across its queues (the order breaks ties).
2. A ticket is in line from its `queue_at`: its arrival, or for an appointment its slot start
   (checked in early → joins at the slot; checked in late → treated as a walk-in).
3. Within a queue, tickets of a priority group the centre honours go first, earliest first.
4. Fairness bound: a ticket that has been in line for the fairness limit or longer is no
   longer passed by priority tickets that joined after it.
5. Otherwise, first come, first served by `queue_at`.
6. A window with nobody in line may take an appointment that checked in before its slot
   (if the centre allows), the earliest slot first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from onestop.hall.enums import PriorityGroup, ProfileMode, TicketKind, TicketSource


@dataclass(frozen=True)
class Rules:
    priority_groups: frozenset[str] = frozenset(PriorityGroup.values)
    elderly_age: int = 70
    fairness: timedelta = timedelta(minutes=30)
    max_recalls: int = 3
    recall_gap: timedelta = timedelta(seconds=30)
    no_show_after_recalls: int = 1
    serve_early_appointments_when_idle: bool = True
    estimate_window: timedelta = timedelta(minutes=120)
    default_service_minutes: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {TicketKind.ACCEPTANCE: 12.0, TicketKind.CONSULTATION: 5.0, TicketKind.PICKUP: 3.0}
        )
    )


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Queue:
    category: str
    kind: str


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the rules see it."""

    id: int
    category: str
    kind: str
    queue_at: datetime
    priority: str = ""
    source: str = TicketSource.WALK_IN

    @property
    def queue(self) -> Queue:
        return Queue(self.category, self.kind)


@dataclass(frozen=True, eq=False)
class Reason:
    """One line of "why this ticket is next", as data: a code and its values."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "text": self.text()}

    def text(self, category_names: Mapping[str, str] | None = None) -> str:
        """The reason as a sentence; a page that knows the categories' names passes them."""
        template = _REASON_TEXTS.get(self.code)
        return template() % _readable(self.params, category_names or {}) if template else self.code


def _readable(params: Mapping[str, Any], category_names: Mapping[str, str]) -> dict[str, Any]:
    """Codes in a reason's values as people read them: a kind's label, a group's label, a
    category's name when known."""
    values = dict(params)
    if values.get("kind") in TicketKind.values:
        values["kind"] = TicketKind(values["kind"]).label
    if values.get("group") in PriorityGroup.values:
        values["group"] = PriorityGroup(values["group"]).label
    if "category" in values:
        values["category"] = category_names.get(values["category"], values["category"])
    return values


_REASON_TEXTS = {
    "profile_order": lambda: _(
        "Queue %(category)s/%(kind)s is number %(position)s in the work profile and the first "
        "with someone in line."
    ),
    "longest_wait": lambda: _("Of the profile's queues, this ticket has been in line the longest."),
    "priority_group": lambda: _("Priority group: %(group)s."),
    "fairness_bound": lambda: _(
        "In line %(waited_minutes)s minutes: past the %(limit_minutes)s-minute fairness "
        "limit, so later priority tickets no longer go ahead of it."
    ),
    "first_in_line": lambda: _("First in line in its queue since %(queue_at)s."),
    "appointment_slot": lambda: _("Appointment: joined the line at its slot, %(slot_at)s."),
    "early_appointment_idle": lambda: _(
        "Nobody is in line; an appointment that checked in early for %(slot_at)s is served now."
    ),
}


@dataclass(frozen=True)
class Choice:
    ticket: Candidate
    reasons: tuple[Reason, ...]


def _hhmm(moment: datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%H:%M}"


def is_priority(ticket: Candidate, rules: Rules) -> bool:
    return bool(ticket.priority) and ticket.priority in rules.priority_groups


def is_past_fairness(ticket: Candidate, rules: Rules, now: datetime) -> bool:
    return now - ticket.queue_at >= rules.fairness


def is_in_line(ticket: Candidate, now: datetime) -> bool:
    return ticket.queue_at <= now


def line_key(ticket: Candidate, rules: Rules, now: datetime) -> tuple[int, datetime, int]:
    """The order of one queue: priority tickets, and tickets past the fairness limit, form
    the front group; within a group, earliest `queue_at` first."""
    front = is_priority(ticket, rules) or is_past_fairness(ticket, rules, now)
    return (0 if front else 1, ticket.queue_at, ticket.id)


def line(tickets: Iterable[Candidate], rules: Rules, now: datetime) -> list[Candidate]:
    """The tickets in line (queue_at reached), in the order they will be called."""
    return sorted((t for t in tickets if is_in_line(t, now)), key=lambda t: line_key(t, rules, now))


def _why_first(head: Candidate, queue_line: Sequence[Candidate], rules: Rules, now: datetime):
    reasons: list[Reason] = []
    if is_priority(head, rules):
        reasons.append(Reason("priority_group", {"group": head.priority}))
    elif is_past_fairness(head, rules, now) and any(
        is_priority(t, rules) and t.queue_at > head.queue_at for t in queue_line
    ):
        reasons.append(
            Reason(
                "fairness_bound",
                {
                    "waited_minutes": int((now - head.queue_at).total_seconds() // 60),
                    "limit_minutes": int(rules.fairness.total_seconds() // 60),
                },
            )
        )
    else:
        reasons.append(Reason("first_in_line", {"queue_at": _hhmm(head.queue_at)}))
    if head.source == TicketSource.APPOINTMENT:
        reasons.append(Reason("appointment_slot", {"slot_at": _hhmm(head.queue_at)}))
    return reasons


def choose_next(
    tickets: Iterable[Candidate],
    queues: Sequence[Queue],
    rules: Rules,
    now: datetime,
    *,
    mode: str = ProfileMode.ORDERED,
) -> Choice | None:
    """The ticket a window with these profile queues calls next, with the reasons; None
    when nobody it serves is waiting."""
    position = {queue: index for index, queue in enumerate(queues)}
    by_queue: dict[Queue, list[Candidate]] = {queue: [] for queue in queues}
    for ticket in tickets:
        if ticket.queue in by_queue:
            by_queue[ticket.queue].append(ticket)
    lines = {queue: line(waiting, rules, now) for queue, waiting in by_queue.items()}
    heads = [(queue, queue_line[0]) for queue, queue_line in lines.items() if queue_line]
    if heads:
        if mode == ProfileMode.LONGEST_WAIT:
            queue, head = min(
                heads, key=lambda pair: (*line_key(pair[1], rules, now)[:2], position[pair[0]])
            )
            first = Reason("longest_wait", {"category": queue.category, "kind": queue.kind})
        else:
            queue, head = min(heads, key=lambda pair: position[pair[0]])
            first = Reason(
                "profile_order",
                {"category": queue.category, "kind": queue.kind, "position": position[queue] + 1},
            )
        return Choice(head, (first, *_why_first(head, lines[queue], rules, now)))
    if rules.serve_early_appointments_when_idle:
        early = [
            t
            for waiting in by_queue.values()
            for t in waiting
            if t.source == TicketSource.APPOINTMENT and not is_in_line(t, now)
        ]
        if early:
            head = min(early, key=lambda t: (t.queue_at, position[t.queue], t.id))
            return Choice(
                head, (Reason("early_appointment_idle", {"slot_at": _hhmm(head.queue_at)}),)
            )
    return None


# --- Joining the line ----------------------------------------------------------------------


class TooEarly(Exception):
    """An appointment checked in before its early check-in window opened."""

    def __init__(self, opens_at: datetime) -> None:
        super().__init__(opens_at.isoformat())
        self.opens_at = opens_at


def appointment_queue_at(
    slot_start: datetime, arrived_at: datetime, *, early: timedelta, late: timedelta
) -> datetime:
    """When an appointment joins the line: at its slot start if it checks in from `early`
    before the slot to `late` after it (the centre's check-in window, which appointments
    keeps); later than that it is a walk-in, in line from its arrival. Earlier raises
    TooEarly."""
    opens_at = slot_start - early
    if arrived_at < opens_at:
        raise TooEarly(opens_at)
    if arrived_at > slot_start + late:
        return arrived_at
    return slot_start


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def priority_for(requested: str, birth_date: date | None, day: date, rules: Rules) -> str:
    """The priority group a ticket gets: the one asked for, else elderly when the person's
    birth date (from the ID card) says they are old enough; "" when none applies."""
    if requested:
        return requested
    if (
        birth_date is not None
        and PriorityGroup.ELDERLY in rules.priority_groups
        and age_on(birth_date, day) >= rules.elderly_age
    ):
        return PriorityGroup.ELDERLY
    return ""


# --- Recalls and no-shows ------------------------------------------------------------------


def recall_refusal(
    recalls_so_far: int, last_called_at: datetime, rules: Rules, now: datetime
) -> str:
    """Why a called ticket may not be recalled now ("" when it may): at most `max_recalls`
    recalls, each at least `recall_gap` after the previous call."""
    if recalls_so_far >= rules.max_recalls:
        return "recall_limit"
    if now - last_called_at < rules.recall_gap:
        return "recall_too_soon"
    return ""


def no_show_refusal(
    recalls_so_far: int, last_called_at: datetime, rules: Rules, now: datetime
) -> str:
    """Why a called ticket may not be marked no-show now ("" when it may): only after
    `no_show_after_recalls` recalls, and the gap after the last one."""
    if recalls_so_far < rules.no_show_after_recalls or now - last_called_at < rules.recall_gap:
        return "no_show_too_soon"
    return ""
