"""The vocabularies of ratings (好差评): the five levels, which levels a reason applies to,
the follow-up task's states and moves (its state machine), and error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine, TimelineEntry

if TYPE_CHECKING:
    from onestop.ratings.models import FollowUpTask


class RatingLevel(models.IntegerChoices):
    """The five levels of 好差评; the value is the score. Their labels are the one place a
    level's words come from, on every page and export, in every language (the message ids
    are English; the Chinese catalogues hold the official terms in the comments)."""

    VERY_SATISFIED = 5, _("Very satisfied")  # 非常满意
    SATISFIED = 4, _("Satisfied")  # 满意
    BASICALLY_SATISFIED = 3, _("Basically satisfied")  # 基本满意
    DISSATISFIED = 2, _("Dissatisfied")  # 不满意
    VERY_DISSATISFIED = 1, _("Very dissatisfied")  # 非常不满意


# 差评: the levels that count as a bad rating; a named one opens a follow-up task.
BAD_LEVELS: frozenset[int] = frozenset({RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED})


class ReasonApplies(models.TextChoices):
    """Which ratings a reason may be given with."""

    ANY = "any", _("Any rating")
    GOOD = "good", _("Satisfied ratings")
    BAD = "bad", _("Dissatisfied ratings")


def reason_fits(applies: str, level: int) -> bool:
    if applies == ReasonApplies.GOOD:
        return level not in BAD_LEVELS
    if applies == ReasonApplies.BAD:
        return level in BAD_LEVELS
    return True


class FollowUpState(models.TextChoices):
    # A task still to handle, not a window that is open: the words differ in Chinese.
    OPEN = "open", pgettext_lazy("follow-up state", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


FOLLOW_UP_TRANSITIONS: dict[str, frozenset[str]] = {
    FollowUpState.OPEN: frozenset({FollowUpState.IN_PROGRESS}),
    FollowUpState.IN_PROGRESS: frozenset({FollowUpState.CLOSED}),
    FollowUpState.CLOSED: frozenset(),
}


def follow_up_summary(task: FollowUpTask) -> dict[str, Any]:
    """What the audit log keeps of a follow-up: no contact details."""
    return {"rating_id": task.rating_id, "state": task.state, "handler_id": task.handler_id}


def _follow_up_timeline(entry: TimelineEntry[FollowUpTask]) -> None:
    # Imported here: the models import this module.
    from onestop.ratings.models import FollowUpEvent

    FollowUpEvent.objects.create(
        task=entry.row,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        actor_id=entry.actor.pk if entry.actor is not None else None,
        at=entry.at,
        note=entry.reason,
    )


def _describe(task: FollowUpTask) -> str:
    return gettext("This follow-up")


# Every move of a follow-up, and its opening and the reveals of the rater's number, go
# through this machine: the table is checked, the row claimed, and the task's timeline (which
# the centre's hall managers read on the task's page) and the audit entry
# `ratings.follow_up.<action>` written in the service's transaction.
FOLLOW_UP: StateMachine[FollowUpTask] = StateMachine(
    entity="ratings.follow_up",
    states=FollowUpState,
    transitions=FOLLOW_UP_TRANSITIONS,
    summary=follow_up_summary,
    timeline=_follow_up_timeline,
    describe=_describe,
)


class FollowUpAction(models.TextChoices):
    """What a follow-up's timeline records."""

    OPEN = "open", _("Opened by a named bad rating")
    START = "start", _("Taken")
    CONTACT_REVEAL = "contact_reveal", _("Full number shown")
    CLOSE = "close", _("Closed")


class ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    TICKET_NOT_FOUND = "ticket_not_found"
    TICKET_NOT_DONE = "ticket_not_done"
    ALREADY_RATED = "already_rated"
    RATING_PERIOD_OVER = "rating_period_over"
    INVALID_LEVEL = "invalid_level"
    INVALID_REASON = "invalid_reason"
    INVALID_COMMENT = "invalid_comment"
    INVALID_CONTACT = "invalid_contact"
    FOLLOW_UP_NOT_FOUND = "follow_up_not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    RESOLUTION_REQUIRED = "resolution_required"
    INVALID_RESOLUTION = "invalid_resolution"
