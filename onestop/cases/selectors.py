"""Every read of cases, scoped to the actor, and the clock of a case.

`access_case(actor, case_id, perm)` answers NotFound for a case outside the actor's reach, as
for one that does not exist: an approver of another department cannot learn that a number
exists by trying it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.enums import OPEN_STATES, RATABLE_STATES, CaseState, DeadlineStatus, ErrorCode
from onestop.cases.models import Case, CaseEvent, CourierAddress
from onestop.cases.policies import RULES, Perm
from onestop.catalog.enums import LimitUnit
from onestop.core.access import Actor, Role
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.workdays import (
    NATURAL_DAYS,
    WORKING_DAYS,
    Deadline,
    DeadlineMarks,
    DeadlineUnit,
)
from onestop.identity.actors import StaffUser
from onestop.ratings import selectors as ratings_selectors

# Share of the limit used from which a case is "nearly due", and the multiple of the limit
# from which an overdue case is "severely overdue" (the forgotten cases 311 systems track).
WARNING_SHARE = 0.8
SEVERE_MULTIPLE = 3

# A time limit in hours (a few items state one) is counted as the working days it spans,
# rounded up: the platform's clock counts days.
HOURS_PER_WORKING_DAY = 8


def case_not_found() -> NotFound:
    return NotFound(ErrorCode.CASE_NOT_FOUND, _("No such case."))


def _pk(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def case_scope(actor: Actor | None, perm: str) -> QuerySet[Case]:
    """The cases `actor` holds `perm` on."""
    coverage = RULES.coverage(actor, perm)
    q = coverage.q(centre="centre_id", department="department_id", person="applicant_person_id")
    return Case.objects.filter(q)


def access_case(
    actor: Actor | None, case_id: Any, perm: str = Perm.VIEW, *, for_update: bool = False
) -> Case:
    pk = _pk(case_id)
    if pk is None:
        raise case_not_found()
    cases = Case.objects.select_related("item", "department", "centre")
    if for_update:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(pk=pk).first()
    if case is None or not RULES.can(actor, perm, case.place):
        raise case_not_found()
    return case


def case_timeline(case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("at", "id"))


@dataclass(frozen=True)
class TimelineStep:
    """A timeline entry with where the clock stood on its day: `used` of `limit` days
    (working or natural, as the item counts them) and `left` after that day; None for the
    steps before the application reached the government and after the clock stopped."""

    event: CaseEvent
    used: int | None = None
    left: int | None = None
    limit: int | None = None


def case_timeline_days(case: Case) -> list[TimelineStep]:
    """The timeline with the clock's figures of each step's day, counted by the case's
    `Deadline` (its calendar, holidays and adjusted working days, and its pauses). The
    clock runs from the day received to the decision (or to the close of a case that ends
    without one); the delivery that follows is outside the limit and shows no figures."""
    events = case_timeline(case)
    deadline = case_deadline(case)
    if deadline is None:
        return [TimelineStep(event) for event in events]
    stopped = case.decided_at or case.closed_at
    steps = []
    for event in events:
        day = timezone.localdate(event.at)
        if day < deadline.start or (stopped is not None and event.at > stopped):
            steps.append(TimelineStep(event))
            continue
        left = deadline.remaining(day)
        steps.append(TimelineStep(event, deadline.limit - left, left, deadline.limit))
    return steps


# --- The clock ---------------------------------------------------------------------------------


def _limit(case: Case) -> tuple[int, DeadlineUnit] | None:
    value, unit = case.limit_value, case.limit_unit
    if unit == "immediate":
        return 0, WORKING_DAYS
    if value is None or unit not in ("working_days", "natural_days", "hours"):
        return None
    if unit == "hours":
        return -(-value // HOURS_PER_WORKING_DAY) + case.extension_days, WORKING_DAYS
    return value + case.extension_days, NATURAL_DAYS if unit == "natural_days" else WORKING_DAYS


def case_deadline(case: Case) -> Deadline | None:
    """The case's time limit as a `core.workdays.Deadline` with its pauses; None when the
    item states no limit or the application has not reached the government yet."""
    limit = _limit(case)
    if limit is None or case.received_on is None:
        return None
    value, unit = limit
    return Deadline(start=case.received_on, limit=value, unit=unit, pauses=tuple(case.pause_list()))


@dataclass(frozen=True)
class Clock:
    status: str
    due_date: date | None
    limit: int | None
    used: int | None
    remaining: int | None


def case_clock(case: Case, today: date) -> Clock:
    """Where the case's clock stands on `today`. A case no longer open keeps the due date it
    had and shows no status."""
    deadline = case_deadline(case)
    if deadline is None:
        return Clock(DeadlineStatus.NONE, None, None, None, None)
    return deadline_clock(deadline, today)


def deadline_clock(deadline: Deadline, today: date) -> Clock:
    limit = deadline.limit
    remaining = deadline.remaining(today)
    used = limit - remaining
    if deadline.is_paused:
        return Clock(DeadlineStatus.PAUSED, None, limit, used, remaining)
    due = deadline.due_date()
    if today > due:
        severe = limit > 0 and used >= SEVERE_MULTIPLE * limit
        status = DeadlineStatus.SEVERELY_OVERDUE if severe else DeadlineStatus.OVERDUE
    elif limit and used >= WARNING_SHARE * limit:
        status = DeadlineStatus.WARNING
    else:
        status = DeadlineStatus.ON_TIME
    return Clock(status, due, limit, used, remaining)


def deadline_marks(deadline: Deadline) -> DeadlineMarks:
    """The days on which a running clock becomes nearly due (`warn_on`), overdue (the day
    after `due_date`) and severely overdue (`severe_on`; None for a limit of zero), by the
    same rules as `deadline_clock`: stored at each move, they let the sweep classify every
    open case with date comparisons (`marks_status`, and `services.sweep` in SQL)."""
    limit = deadline.limit
    # used >= WARNING_SHARE * limit, used = limit - remaining, and used is a whole number.
    warn_left = limit - math.ceil(WARNING_SHARE * limit)
    marks = deadline.marks(
        remaining_at_most=max(warn_left, 0), overdue_by=(SEVERE_MULTIPLE - 1) * limit
    )
    if not limit:  # a limit of zero is never "nearly due": it is on time, then overdue
        marks = replace(marks, warn_on=marks.due_date + timedelta(days=1))
    return marks


def marks_status(marks: DeadlineMarks, today: date) -> str:
    """The status of a running clock on `today`, from its marks."""
    if marks.severe_on is not None and today >= marks.severe_on:
        return DeadlineStatus.SEVERELY_OVERDUE
    if today > marks.due_date:
        return DeadlineStatus.OVERDUE
    if today >= marks.warn_on:
        return DeadlineStatus.WARNING
    return DeadlineStatus.ON_TIME


# --- Lists -------------------------------------------------------------------------------------

# States whose clock is shown as running (or paused).
CLOCK_STATES = OPEN_STATES

INBOX_STATES = (CaseState.ACCEPTED, CaseState.IN_REVIEW, CaseState.SUSPENDED)


# The first page of an inbox, and what a row of it shows.
INBOX_PAGE = 200
INBOX_FIELDS = (
    "id",
    "number",
    "item_name",
    "state",
    "due_date",
    "deadline_status",
    "department_id",
    "assignee",
    "assignee__username",
    "assignee__display_name",
)


def _inbox_order(case: Case) -> tuple[bool, date, int]:
    return (case.due_date is None, case.due_date or date.min, case.pk)


def case_inbox(actor: Actor | None, limit: int = INBOX_PAGE) -> list[Case]:
    """The first `limit` of the department's cases to review, soonest due first (no due
    date last), with only the columns a row shows.

    One read per inbox state, each walking the index (department, state, due_date, id) in
    order and stopping at `limit`, then merged: a constant number of queries whatever the
    department holds, and no sort of all its open cases (a single read over three states
    has to sort them all, and NULLS LAST defeats SQLite's use of the index)."""
    scope = case_scope(actor, Perm.INBOX).select_related("assignee").only(*INBOX_FIELDS)
    rows: list[Case] = []
    for state in INBOX_STATES:
        ordered = scope.filter(state=state).order_by(F("due_date").asc(nulls_last=True), "id")
        rows.extend(ordered[:limit])
    return sorted(rows, key=_inbox_order)[:limit]


def case_window_list(actor: Actor | None, centre_id: int) -> QuerySet[Case]:
    """The centre's applications waiting for a clerk, oldest first."""
    return (
        case_scope(actor, Perm.WINDOW)
        .filter(centre_id=centre_id, state__in=(CaseState.SUBMITTED, CaseState.PRE_REVIEW))
        .order_by("submitted_at", "id")
    )


def case_issuance_list(actor: Actor | None, centre_id: int) -> QuerySet[Case]:
    """The results waiting at the centre's issuance window, oldest first."""
    return (
        case_scope(actor, Perm.WINDOW)
        .filter(centre_id=centre_id, state=CaseState.AWAITING_DELIVERY)
        .order_by("decided_at", "id")
    )


def case_list_mine(actor: Actor | None) -> QuerySet[Case]:
    if actor is None or actor.person_id is None:
        return Case.objects.none()
    return Case.objects.filter(applicant_person_id=actor.person_id).select_related("item")


def case_track(number: str, phone: str) -> Case:
    """A case found by its number and the applicant's mobile number, for tracking without
    signing in: both must match, and either wrong gives the same NotFound."""
    from onestop.cases.values import phone_clean
    from onestop.core.pii import PiiKind, blind_index

    number = (number or "").strip().upper()[:64]
    try:
        digits = phone_clean(phone)
    except DomainError:
        raise case_not_found() from None
    if not number or not digits:
        raise case_not_found()
    case = (
        Case.objects.select_related("item")
        .filter(number=number, contact_phone_index=blind_index(PiiKind.PHONE, digits))
        .first()
    )
    if case is None:
        raise case_not_found()
    return case


def department_head_ids(department_id: int) -> list[int]:
    """The active heads (负责人) of a department, whom the sweep warns with its approvers."""
    return list(
        StaffUser.objects.filter(
            is_active=True, roles__role=Role.DEPARTMENT_HEAD, roles__department_id=department_id
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def courier_addresses_masked(actor: Actor | None, case_ids: list[int]) -> dict[int, CourierAddress]:
    """The courier's details of the cases among `case_ids` the actor works at the window,
    for lists: read only their masked columns."""
    rows = CourierAddress.objects.filter(
        case__in=case_scope(actor, Perm.WINDOW).filter(pk__in=case_ids)
    ).only("case_id", "recipient_masked", "phone_masked", "address_masked")
    return {row.case_id: row for row in rows}


# --- What a case allows now ---------------------------------------------------------------------


def is_on_the_spot(case: Case) -> bool:
    """A 即办 item: the catalog promises the decision on the spot."""
    return case.limit_unit == LimitUnit.IMMEDIATE


def case_rating_refusal(case: Case) -> Conflict | None:
    """Why the applicant cannot rate this case now, or None if they can."""
    if case.state not in RATABLE_STATES or case.closed_at is None or case.centre_id is None:
        return Conflict(
            ErrorCode.NOT_CLOSED,
            _(
                "You can rate a case once it is closed: the result delivered, or the "
                "application not accepted or withdrawn."
            ),
            state=case.state,
        )
    if ratings_selectors.case_rating(case.pk) is not None:
        return Conflict(ErrorCode.ALREADY_RATED, _("This case has been rated. Thank you."))
    return None
