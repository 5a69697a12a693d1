"""Ratings (好差评) of a finished visit or a closed case, and the follow-up tasks of named bad
ones.

A rating has one subject (a check constraint holds it):

- a visit: the ticket that was finished (a done ticket has no successor, so this is one
  rating per visit); the rating copies its centre, day, category, kind, window and clerk, so
  the statistics read ratings without walking the ticket's timeline again;
- a case (办件): its id, number, deciding department and item, copied by the cases app when
  the applicant rates it (cases sits above ratings, so the case is held by id, as cases
  holds its ticket); unique, so one rating per case. `service_day` is the day it closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.core.i18n import translated, translations_field
from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field
from onestop.ratings.enums import FollowUpAction, FollowUpState, RatingLevel, ReasonApplies


class RatingReason(models.Model):
    """One reason a rater may tick (服务态度, 办事效率 ...). Configurable in the admin; a
    retired reason is made inactive, never deleted, so old ratings keep it."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=40, help_text="zh-Hans")
    name_i18n = translations_field()
    applies = models.CharField(
        max_length=10, choices=ReasonApplies.choices, default=ReasonApplies.ANY
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the current language (core.i18n)."""
        return translated(self, "name")


class Rating(models.Model):
    PII_FIELDS = {"contact_phone": PiiKind.PHONE}

    # The subject: a visit (ticket) or a case (case_id and its copied facts), never both.
    ticket = models.OneToOneField(
        "hall.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    case_id = models.BigIntegerField(null=True, blank=True, unique=True)
    case_number = models.CharField(max_length=64, blank=True, default="")
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item_key = models.CharField(max_length=64, blank=True, default="")
    item_name = models.CharField(max_length=200, blank=True, default="")
    # The visit's centre, or the centre that accepted the case.
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    service_day = models.DateField()
    category = models.ForeignKey(
        "catalog.HallCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, blank=True, default="")
    window = models.ForeignKey(
        "hall.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(choices=RatingLevel.choices)
    reasons = models.ManyToManyField(RatingReason, blank=True, related_name="ratings")
    comment = models.TextField(blank=True, default="")
    # Named (实名): the ticket's identified person, or a name or phone the rater left.
    is_named = models.BooleanField(default=False)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(max_length=60, blank=True, default="")
    contact_phone_sealed = sealed_field()
    contact_phone_index = index_field()
    contact_phone_masked = masked_field("phone")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "service_day"], name="rating_centre_day"),
            models.Index(fields=["department", "service_day"], name="rating_department_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ticket__isnull=False, case_id__isnull=True, category__isnull=False)
                    | Q(ticket__isnull=True, case_id__isnull=False, department__isnull=False)
                ),
                name="rating_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"rating #{self.pk} ({self.level})"

    @property
    def is_of_case(self) -> bool:
        return self.case_id is not None


class FollowUpTask(models.Model):
    """整改 / 回访: the hall manager's task after a named bad rating."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow_up")
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=12, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["centre", "state"], name="followup_centre_state")]

    def __str__(self) -> str:
        return f"follow-up #{self.pk} ({self.state})"


class FollowUpEvent(models.Model):
    """One entry of a follow-up's timeline, written by the FOLLOW_UP machine (enums) in the
    transaction of what it records: who opened, took, looked up the number of, or closed the
    task, when and why. The centre's hall managers read it on the task's page."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=FollowUpAction.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    # None: the rater (no account) or the platform.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"follow-up #{self.task_id} {self.action}"
