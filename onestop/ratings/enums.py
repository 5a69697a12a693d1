"""The vocabularies of ratings (好差评): the five levels, which levels a reason applies to,
the follow-up task's states and moves, and error codes."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RatingLevel(models.IntegerChoices):
    """The five levels of 好差评; the value is the score."""

    VERY_SATISFIED = 5, _("Very satisfied")  # 非常满意
    SATISFIED = 4, _("Satisfied")  # 满意
    BASICALLY_SATISFIED = 3, _("Basically satisfied")  # 基本满意
    DISSATISFIED = 2, _("Dissatisfied")  # 不满意
    VERY_DISSATISFIED = 1, _("Very dissatisfied")  # 非常不满意


LEVEL_ZH: dict[int, str] = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}

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
