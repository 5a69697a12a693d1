"""Estimated waits, from how long service took lately and how many windows call the queue.

For a queue (category × kind) of a centre:
- service time: the mean and the 80th percentile of start → finish of the tickets finished
  in the last `estimate_window` (rules; 2 hours by default), the latest SAMPLE_LIMIT of them;
  with fewer than MIN_SAMPLES, the rules' default minutes for the kind (and half again for
  the pessimistic figure);
- windows: the open windows whose profile calls the queue (optimistic), and those that call
  it first (pessimistic: the others serve it only when their earlier queues are empty);
- optimistic = people ahead × mean ÷ all those windows;
  pessimistic = (people ahead + 1) × p80 ÷ the windows that call it first (at least one).
An appointment that checked in before its slot waits at least until the slot.

With no open window calling the queue nobody can say when it moves: the estimate then has
no minutes (`known` is false) and says so, rather than "0 ahead, 0–8 min".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.hall import calling
from onestop.hall.enums import TicketKind, TicketState
from onestop.hall.models import Ticket
from onestop.hall.selectors import (
    open_windows_serving,
    rules_for,
    service_day_of,
    waiting_candidates,
)

if TYPE_CHECKING:
    from onestop.centres.models import Centre

MIN_SAMPLES = 5
# The latest services are enough for a mean and a p80, and a busy queue's two hours hold
# hundreds: every kiosk issue computes this.
SAMPLE_LIMIT = 60
PESSIMISTIC_FACTOR = 1.5


@dataclass(frozen=True)
class ServiceTime:
    mean_minutes: float
    p80_minutes: float
    samples: int


@dataclass(frozen=True)
class Estimate:
    """People ahead and the wait in minutes, from `optimistic_minutes` to
    `pessimistic_minutes`; both None when no open window calls the queue."""

    ahead: int
    windows_open: int
    windows_first: int
    optimistic_minutes: int | None
    pessimistic_minutes: int | None
    mean_service_minutes: float

    @property
    def known(self) -> bool:
        return self.optimistic_minutes is not None and self.pessimistic_minutes is not None

    @property
    def wait_text(self) -> str:
        """The wait as people read it: one figure when both ends agree, a range otherwise,
        and a plain sentence when no window is open for the queue."""
        low, high = self.optimistic_minutes, self.pessimistic_minutes
        if low is None or high is None:
            return _("No window is open for this queue now; the wait is not known yet.")
        if low == high:
            return _("about %(minutes)s min") % {"minutes": low}
        return _("%(low)s–%(high)s min") % {"low": low, "high": high}

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "known": self.known, "wait_text": self.wait_text}

    def as_event(self) -> dict[str, Any]:
        """What a ticket's `issued` event keeps, for the statistics' estimate error."""
        low, high = self.optimistic_minutes, self.pessimistic_minutes
        return {
            "ahead": self.ahead,
            "optimistic_s": None if low is None else low * 60,
            "pessimistic_s": None if high is None else high * 60,
        }


def service_time(
    centre_id: int, category: str, kind: str, now: datetime, rules: calling.Rules
) -> ServiceTime:
    rows = (
        Ticket.objects.filter(
            centre_id=centre_id,
            category__code=category,
            kind=kind,
            state=TicketState.DONE,
            started_at__isnull=False,
            finished_at__gte=now - rules.estimate_window,
            finished_at__lte=now,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:SAMPLE_LIMIT]
    )
    minutes = sorted((end - start).total_seconds() / 60 for start, end in rows if start and end)
    if len(minutes) < MIN_SAMPLES:
        default = float(rules.default_service_minutes.get(kind, 10.0))
        return ServiceTime(default, default * PESSIMISTIC_FACTOR, len(minutes))
    p80 = minutes[min(len(minutes) - 1, math.ceil(0.8 * len(minutes)) - 1)]
    return ServiceTime(sum(minutes) / len(minutes), p80, len(minutes))


def queue_estimate(
    centre_id: int,
    category: str,
    kind: str,
    ahead: int,
    *,
    now: datetime | None = None,
    rules: calling.Rules | None = None,
) -> Estimate:
    now = now or timezone.now()
    rules = rules or rules_for(centre_id)
    spent = service_time(centre_id, category, kind, now, rules)
    total, first = open_windows_serving(centre_id, category, kind)
    if total == 0:
        return Estimate(
            ahead=ahead,
            windows_open=0,
            windows_first=0,
            optimistic_minutes=None,
            pessimistic_minutes=None,
            mean_service_minutes=round(spent.mean_minutes, 1),
        )
    optimistic = ahead * spent.mean_minutes / total
    pessimistic = (ahead + 1) * spent.p80_minutes / max(first, 1)
    return Estimate(
        ahead=ahead,
        windows_open=total,
        windows_first=first,
        optimistic_minutes=math.ceil(optimistic),
        pessimistic_minutes=math.ceil(max(pessimistic, optimistic)),
        mean_service_minutes=round(spent.mean_minutes, 1),
    )


# The id a ticket not yet issued takes in the line: after every issued one of its time.
NOT_YET_ISSUED = 2**62


def candidate_estimate(
    centre_id: int, day: date, candidate: calling.Candidate, *, now: datetime, rules: calling.Rules
) -> Estimate:
    """People ahead of `candidate` in its queue by the calling rules, and its wait. Works for
    a ticket about to be issued (the kiosk's figure before the number is taken)."""
    waiting = waiting_candidates(centre_id, day, [candidate.queue], exclude=[candidate.id])
    key = calling.line_key(candidate, rules, now)
    ahead = sum(
        1 for c in waiting if calling.is_in_line(c, now) and calling.line_key(c, rules, now) < key
    )
    estimate = queue_estimate(
        centre_id, candidate.category, candidate.kind, ahead, now=now, rules=rules
    )
    until_slot = max(0, math.ceil((candidate.queue_at - now).total_seconds() / 60))
    low, high = estimate.optimistic_minutes, estimate.pessimistic_minutes
    if low is not None and high is not None and until_slot > low:
        estimate = replace(
            estimate, optimistic_minutes=until_slot, pessimistic_minutes=max(until_slot, high)
        )
    return estimate


def ticket_estimate(ticket: Ticket, *, now: datetime | None = None) -> Estimate | None:
    """People ahead of a waiting ticket and its estimated wait; None once it is not waiting."""
    if ticket.state != TicketState.WAITING:
        return None
    candidate = calling.Candidate(
        id=ticket.pk,
        category=ticket.category.code,
        kind=ticket.kind,
        queue_at=ticket.queue_at,
        priority=ticket.priority,
        source=ticket.source,
    )
    return candidate_estimate(
        ticket.centre_id,
        ticket.service_day,
        candidate,
        now=now or timezone.now(),
        rules=rules_for(ticket.centre_id),
    )


@dataclass(frozen=True)
class QueueStatus:
    category: str
    kind: str
    waiting: int
    longest_wait_minutes: int
    estimate: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "estimate": self.estimate.as_dict()}


def centre_queues(
    centre: Centre,
    *,
    now: datetime | None = None,
    kinds: tuple[str, ...] = tuple(TicketKind.values),
) -> list[QueueStatus]:
    """Every queue of a centre now: how many are in line, the longest wait so far, and the
    estimate for someone taking a number now (what the kiosk and the manager's board show).
    No actor: the kiosk shows this to anyone in the hall, and it holds no personal data."""
    now = now or timezone.now()
    codes = list(centre.categories.order_by("position", "code").values_list("code", flat=True))
    queues = [calling.Queue(code, kind) for code in codes for kind in kinds]
    rules = rules_for(centre.pk)
    waiting = waiting_candidates(centre.pk, service_day_of(now), queues)
    result = []
    for queue in queues:
        in_line = [c for c in waiting if c.queue == queue and calling.is_in_line(c, now)]
        longest = max(((now - c.queue_at).total_seconds() for c in in_line), default=0)
        result.append(
            QueueStatus(
                category=queue.category,
                kind=queue.kind,
                waiting=len(in_line),
                longest_wait_minutes=int(longest // 60),
                estimate=queue_estimate(
                    centre.pk, queue.category, queue.kind, len(in_line), now=now, rules=rules
                ),
            )
        )
    return result
