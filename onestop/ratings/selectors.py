"""Reads of ratings. The rating page knows only the visit's public token; follow-up tasks are
read by the rated centre's hall manager; the statistics read levels without contact details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor, Place
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.hall import selectors as hall_selectors
from onestop.hall.enums import TicketState
from onestop.identity.actors import StaffUser
from onestop.ratings import policies
from onestop.ratings.enums import ErrorCode, FollowUpState
from onestop.ratings.models import FollowUpEvent, FollowUpTask, Rating, RatingReason
from onestop.ratings.policies import Perm

DEFAULT_PERIOD_DAYS = 7


def rating_period() -> timedelta:
    """How long after a visit it may be rated (setting ONESTOP_RATING_PERIOD_DAYS)."""
    return timedelta(days=getattr(settings, "ONESTOP_RATING_PERIOD_DAYS", DEFAULT_PERIOD_DAYS))


def reason_list() -> list[RatingReason]:
    return list(RatingReason.objects.filter(is_active=True))


def ticket_for_rating(token: str, *, for_update: bool = False) -> Any:
    """The visit's current ticket, by its public token."""
    try:
        ticket = hall_selectors.ticket_by_token(str(token or ""))
    except DomainError:
        raise NotFound(
            ErrorCode.TICKET_NOT_FOUND,
            _("There is no such visit. Check the link on your ticket."),
        ) from None
    if for_update:
        # Lock the ticket so two submissions for one visit queue behind each other.
        type(ticket).objects.select_for_update().filter(pk=ticket.pk).first()
    return ticket


def rating_deadline(ticket: Any) -> datetime | None:
    if ticket.finished_at is None:
        return None
    return ticket.finished_at + rating_period()


def rating_refusal(ticket: Any, now: datetime) -> DomainError | None:
    """Why this visit cannot be rated now, or None if it can."""
    if ticket.state != TicketState.DONE:
        return Conflict(
            ErrorCode.TICKET_NOT_DONE,
            _("You can rate the service once it is finished."),
            state=ticket.state,
        )
    if Rating.objects.filter(ticket_id=ticket.pk).exists():
        return Conflict(ErrorCode.ALREADY_RATED, _("This visit has been rated. Thank you."))
    deadline = rating_deadline(ticket)
    if deadline is not None and now > deadline:
        return Conflict(
            ErrorCode.RATING_PERIOD_OVER,
            _("Ratings are accepted for %(days)d days after the visit; this one is closed.")
            % {"days": rating_period().days},
        )
    return None


@dataclass(frozen=True)
class RatingPage:
    """What the rating page shows for a token."""

    ticket: Any
    rating: Rating | None
    refusal: DomainError | None
    deadline: datetime | None


def rating_page(token: str, *, now: datetime | None = None) -> RatingPage:
    now = now or timezone.now()
    ticket = ticket_for_rating(token)
    rating = Rating.objects.filter(ticket_id=ticket.pk).first()
    return RatingPage(ticket, rating, rating_refusal(ticket, now), rating_deadline(ticket))


# --- Follow-ups ------------------------------------------------------------------------------


def _follow_up_not_found() -> NotFound:
    return NotFound(ErrorCode.FOLLOW_UP_NOT_FOUND, _("There is no such follow-up."))


def _follow_ups() -> QuerySet[FollowUpTask]:
    return FollowUpTask.objects.select_related(
        "centre",
        "handler",
        "rating__ticket",
        "rating__window",
        "rating__clerk",
        "rating__category",
        "rating__person",
        "rating__department",
    ).prefetch_related("rating__reasons")


def follow_up_list(actor: StaffUser, *, state: str = "") -> QuerySet[FollowUpTask]:
    """The follow-ups of the centres `actor` manages, newest first; open ones of a state."""
    rows = _follow_ups().filter(
        centre_id__in=policies.RULES.coverage(actor, Perm.FOLLOW_UP).centre_ids
    )
    if state in FollowUpState.values:
        rows = rows.filter(state=state)
    return rows


def follow_up_counts(actor: StaffUser) -> dict[str, int]:
    counts = dict.fromkeys(FollowUpState.values, 0)
    rows = FollowUpTask.objects.filter(
        centre_id__in=policies.RULES.coverage(actor, Perm.FOLLOW_UP).centre_ids
    )
    for state in rows.values_list("state", flat=True):
        counts[state] += 1
    return counts


def access_follow_up(actor: StaffUser, task_id: int, *, for_update: bool = False) -> FollowUpTask:
    """The task, if `actor` is the hall manager of its centre; not found otherwise."""
    rows = _follow_ups()
    if for_update:
        rows = FollowUpTask.objects.select_for_update()
    task = rows.filter(pk=task_id).first()
    if task is None or not policies.RULES.can(
        actor, Perm.FOLLOW_UP, Place(centre_id=task.centre_id)
    ):
        raise _follow_up_not_found()
    return task


def follow_up_timeline(task: FollowUpTask) -> list[FollowUpEvent]:
    """What happened to a task (read through `access_follow_up` first), oldest first."""
    return list(task.events.select_related("actor"))


# --- For the statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    """One rating as the statistics count it: where and by whom, and the level."""

    ticket_id: int
    service_day: date
    category_id: int
    kind: str
    window_id: int | None
    clerk_id: int | None
    level: int


def rating_rows(*, actor: Actor, centre_id: int, start: date, end: date) -> list[RatingRow]:
    """The ratings of a centre's visits on the days `start`..`end`, in one query."""
    if not policies.RULES.can(actor, Perm.READ, Place(centre_id=centre_id)):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("You may not read this centre's ratings."))
    # Visits only: the ratings of cases accepted at the centre are counted with the cases.
    rows = Rating.objects.filter(
        centre_id=centre_id, service_day__gte=start, service_day__lte=end, ticket__isnull=False
    ).values_list(
        "ticket_id", "service_day", "category_id", "kind", "window_id", "clerk_id", "level"
    )
    return [RatingRow(*row) for row in rows]


# --- Ratings of cases ------------------------------------------------------------------------


def case_rating(case_id: int) -> Rating | None:
    """The rating of a case, for its page (the cases app has checked the reader may see the
    case)."""
    return Rating.objects.prefetch_related("reasons").filter(case_id=case_id).first()


@dataclass(frozen=True)
class CaseRatingRow:
    """One rating of a case as the figures of cases count it."""

    department_id: int
    item_key: str
    item_name: str
    level: int


def case_rating_rows(
    *, department_ids: Iterable[int] | None, first: date, last: date
) -> list[CaseRatingRow]:
    """The ratings of cases that closed on the days `first`..`last`, of the given
    departments (None: every department). The cases app has decided who may read them
    (its figures permission), so this takes the departments, not an actor."""
    rows = Rating.objects.filter(
        case_id__isnull=False, service_day__gte=first, service_day__lte=last
    )
    if department_ids is not None:
        rows = rows.filter(department_id__in=list(department_ids))
    return [
        CaseRatingRow(*row)
        for row in rows.values_list("department_id", "item_key", "item_name", "level").order_by()
    ]
