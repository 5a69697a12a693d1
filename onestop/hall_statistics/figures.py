"""The hall's figures, computed in Python from a day's timeline rows (TicketEvent) and the
ratings, so SQLite and PostgreSQL give the same numbers and one pass over the rows serves
every table.

Definitions (decision 0012):
- a ticket is one stay in one queue; a conversion or transfer ends it and its successor is
  another ticket (`issued`), while `new_numbers` counts only numbers taken at a kiosk or
  check-in;
- wait (mean, percentiles, max): from the ticket's `issued` event to its first `called`
  event; a successor called at once at the window that converted it did not wait and is
  left out;
- service: from `started` to the event that ended the service (`finished`, or a conversion,
  transfer or cancellation while serving);
- no-show rate: tickets whose last state is no-show ÷ tickets called at least once (a
  no-show reinstated and served is not one);
- punctuality: for appointment tickets, arrival − slot start (the issued event's
  `slot_start`, else the ticket's `queue_at`); on time means not after the slot start;
- estimate error: actual wait − the middle of the optimistic–pessimistic band shown at issue
  (the issued event's `estimate`); within band means optimistic ≤ actual ≤ pessimistic;
- percentiles are nearest-rank: the value at position ⌈p·n⌉ of the sorted sample;
- ratings: 满意率 (satisfaction) is the share rated 基本满意 or better.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.utils.dateparse import parse_datetime

from onestop.hall.enums import TicketAction, TicketKind, TicketSource, TicketState
from onestop.ratings.enums import BAD_LEVELS, RatingLevel

KEPT_AT_WINDOW = "kept_at_window"
SERVICE_ENDS = frozenset({TicketAction.CONVERTED, TicketAction.TRANSFERRED, TicketAction.CANCELLED})
AT_WINDOW_ACTIONS = frozenset({TicketAction.CALLED, TicketAction.RECALLED, TicketAction.STARTED})


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending sample; None for an empty one."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass
class TicketFacts:
    """What one ticket's timeline says, read in one pass. The derived figures are cached:
    read them only once the fold is over."""

    ticket_id: int
    service_day: date
    category_id: int
    category_label: str
    kind: str
    source: str
    arrived_at: datetime
    queue_at: datetime
    new_number: bool = True
    issued_at: datetime | None = None
    estimate: Mapping[str, Any] | None = None
    slot_start: datetime | None = None
    first_called_at: datetime | None = None
    kept: bool = False
    window_id: int | None = None
    window_label: str = ""
    clerk_id: int | None = None
    clerk_label: str = ""
    started_at: datetime | None = None
    service_end_at: datetime | None = None
    finished: bool = False
    last_state: str = ""

    @cached_property
    def wait_seconds(self) -> float | None:
        if self.issued_at is None or self.first_called_at is None or self.kept:
            return None
        return (self.first_called_at - self.issued_at).total_seconds()

    @cached_property
    def service_seconds(self) -> float | None:
        if self.started_at is None or self.service_end_at is None:
            return None
        return (self.service_end_at - self.started_at).total_seconds()

    @cached_property
    def lateness_seconds(self) -> float | None:
        """Arrival − slot start for an appointment ticket (negative: early)."""
        if self.source != TicketSource.APPOINTMENT:
            return None
        slot = self.slot_start or self.queue_at
        return (self.arrived_at - slot).total_seconds()

    @cached_property
    def estimate_band(self) -> tuple[float, float] | None:
        estimate = self.estimate
        if not isinstance(estimate, Mapping):
            return None
        try:
            low, high = float(estimate["optimistic_s"]), float(estimate["pessimistic_s"])
        except (KeyError, TypeError, ValueError):
            return None
        return (low, high) if low <= high else (high, low)


def _slot_start(detail: Mapping[str, Any]) -> datetime | None:
    value = detail.get("slot_start")
    if isinstance(value, str):
        return parse_datetime(value)
    return None


def ticket_facts(events: Iterable[Mapping[str, Any]]) -> list[TicketFacts]:
    """Fold timeline rows (oldest first) into one TicketFacts per ticket.

    Each row carries the event's fields and the ticket's static ones: `ticket_id`, `at`,
    `action`, `from_state`, `to_state`, `detail`, `window_id`, `window_number`, `actor_id`,
    `actor_name`, `service_day`, `category_id`, `category_name`, `kind`, `source`,
    `arrived_at`, `queue_at`, `parent_id`."""
    facts: dict[int, TicketFacts] = {}
    for row in events:
        fact = facts.get(row["ticket_id"])
        if fact is None:
            fact = facts[row["ticket_id"]] = TicketFacts(
                ticket_id=row["ticket_id"],
                service_day=row["service_day"],
                category_id=row["category_id"],
                category_label=row["category_name"],
                kind=row["kind"],
                source=row["source"],
                arrived_at=row["arrived_at"],
                queue_at=row["queue_at"],
                new_number=row["parent_id"] is None,
            )
        action = row["action"]
        detail = row["detail"] if isinstance(row["detail"], Mapping) else {}
        if action == TicketAction.ISSUED:
            fact.issued_at = row["at"]
            fact.estimate = detail.get("estimate")
            fact.slot_start = _slot_start(detail)
        elif action == TicketAction.CALLED and fact.first_called_at is None:
            fact.first_called_at = row["at"]
            fact.kept = any(
                isinstance(why, Mapping) and why.get("code") == KEPT_AT_WINDOW
                for why in detail.get("why", ())
            )
        if action == TicketAction.STARTED and fact.started_at is None:
            fact.started_at = row["at"]
        if action == TicketAction.FINISHED:
            fact.service_end_at = row["at"]
            fact.finished = True
        elif action in SERVICE_ENDS and row["from_state"] == TicketState.SERVING:
            fact.service_end_at = row["at"]
        if action in AT_WINDOW_ACTIONS and row["window_id"] is not None:
            fact.window_id, fact.window_label = row["window_id"], str(row["window_number"])
            fact.clerk_id, fact.clerk_label = row["actor_id"], row["actor_name"] or ""
        fact.last_state = row["to_state"]
    return list(facts.values())


@dataclass(frozen=True)
class RatedVisit:
    """A rating as the tables count it (ratings.selectors.RatingRow has these fields)."""

    service_day: date
    category_id: int
    kind: str
    window_id: int | None
    clerk_id: int | None
    level: int


@dataclass
class Row:
    """One line of a table: a day, a category, a kind, a window or a clerk (or all)."""

    key: str
    label: str
    issued: int = 0
    new_numbers: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    no_show_rate: float | None = None
    wait_mean: float | None = None
    wait_p50: float | None = None
    wait_p90: float | None = None
    wait_max: float | None = None
    service_p50: float | None = None
    service_p90: float | None = None
    service_max: float | None = None
    appointments: int = 0
    on_time_share: float | None = None
    lateness_p50: float | None = None
    lateness_max: float | None = None
    ratings: int = 0
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RatingLevel.values, 0))
    satisfaction_share: float | None = None
    mean_score: float | None = None
    estimates: int = 0
    estimate_mae: float | None = None
    estimate_bias: float | None = None
    estimate_within_share: float | None = None


def row_compute(key: str, label: str, tickets: list[TicketFacts], rated: list[RatedVisit]) -> Row:
    row = Row(key=key, label=label)
    row.issued = len(tickets)
    row.new_numbers = sum(1 for t in tickets if t.new_number)
    row.called = sum(1 for t in tickets if t.first_called_at is not None)
    row.served = sum(1 for t in tickets if t.finished)
    row.no_shows = sum(1 for t in tickets if t.last_state == TicketState.NO_SHOW)
    row.no_show_rate = _share(row.no_shows, row.called)

    waits = sorted(w for t in tickets if (w := t.wait_seconds) is not None)
    row.wait_p50, row.wait_p90 = _minutes(percentile(waits, 50)), _minutes(percentile(waits, 90))
    row.wait_max = _minutes(waits[-1] if waits else None)
    row.wait_mean = _minutes(sum(waits) / len(waits) if waits else None)
    services = sorted(s for t in tickets if (s := t.service_seconds) is not None)
    row.service_p50 = _minutes(percentile(services, 50))
    row.service_p90 = _minutes(percentile(services, 90))
    row.service_max = _minutes(services[-1] if services else None)

    lateness = sorted(
        late for t in tickets if t.new_number and (late := t.lateness_seconds) is not None
    )
    row.appointments = len(lateness)
    row.on_time_share = _share(sum(1 for late in lateness if late <= 0), len(lateness))
    row.lateness_p50 = _minutes(percentile(lateness, 50))
    row.lateness_max = _minutes(lateness[-1] if lateness else None)

    row.ratings = len(rated)
    for visit in rated:
        row.levels[visit.level] = row.levels.get(visit.level, 0) + 1
    row.satisfaction_share = _share(sum(1 for v in rated if v.level not in BAD_LEVELS), len(rated))
    row.mean_score = round(sum(v.level for v in rated) / len(rated), 2) if rated else None

    errors: list[float] = []
    within = 0
    for ticket in tickets:
        band, actual = ticket.estimate_band, ticket.wait_seconds
        if band is None or actual is None:
            continue
        errors.append(actual - (band[0] + band[1]) / 2)
        within += band[0] <= actual <= band[1]
    row.estimates = len(errors)
    if errors:
        row.estimate_mae = _minutes(sum(abs(e) for e in errors) / len(errors))
        row.estimate_bias = _minutes(sum(errors) / len(errors))
    row.estimate_within_share = _share(within, len(errors))
    return row


# --- Tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """How a table groups: the key of a ticket, the key of a rating, and the row order."""

    ticket_key: Callable[[TicketFacts], str]
    rating_key: Callable[[RatedVisit], str]
    ticket_label: Callable[[TicketFacts], str]


def _id(value: int | None) -> str:
    return "" if value is None else str(value)


KIND_ORDER = {kind: n for n, kind in enumerate(TicketKind.values)}

DIMENSIONS: dict[str, Dimension] = {
    "day": Dimension(
        lambda t: t.service_day.isoformat(),
        lambda r: r.service_day.isoformat(),
        lambda t: t.service_day.isoformat(),
    ),
    "category": Dimension(
        lambda t: str(t.category_id), lambda r: str(r.category_id), lambda t: t.category_label
    ),
    "kind": Dimension(lambda t: t.kind, lambda r: r.kind, lambda t: str(TicketKind(t.kind).label)),
    "window": Dimension(
        lambda t: _id(t.window_id), lambda r: _id(r.window_id), lambda t: t.window_label
    ),
    "clerk": Dimension(
        lambda t: _id(t.clerk_id), lambda r: _id(r.clerk_id), lambda t: t.clerk_label
    ),
}

ALL_KEY = "*"


def _order(by: str, key: str, label: str) -> tuple[Any, ...]:
    if by == "kind":
        return (KIND_ORDER.get(key, len(KIND_ORDER)),)
    if by == "window":
        return (key == "", int(label) if label.isdigit() else 0, label)
    return (key == "", label, key)


def table(
    by: str,
    tickets: Sequence[TicketFacts],
    rated: Sequence[RatedVisit],
    *,
    none_label: str = "",
    all_label: str = "",
) -> list[Row]:
    """The rows of one table, ordered, then the row of all (key `*`)."""
    dimension = DIMENSIONS[by]
    groups: dict[str, list[TicketFacts]] = {}
    labels: dict[str, str] = {}
    for ticket in tickets:
        key = dimension.ticket_key(ticket)
        group = groups.get(key)
        if group is None:
            group = groups[key] = []
            labels[key] = dimension.ticket_label(ticket) or none_label
        group.append(ticket)
    rated_groups: dict[str, list[RatedVisit]] = {}
    for visit in rated:
        rated_groups.setdefault(dimension.rating_key(visit), []).append(visit)

    def order(key: str) -> tuple[Any, ...]:
        return _order(by, key, labels.get(key) or key)

    keys = sorted(set(groups) | set(rated_groups), key=order)
    rows = [
        row_compute(k, labels.get(k, k or none_label), groups.get(k, []), rated_groups.get(k, []))
        for k in keys
    ]
    rows.append(row_compute(ALL_KEY, all_label, list(tickets), list(rated)))
    return rows
