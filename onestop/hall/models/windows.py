"""Windows (窗口) and work profiles (工作配置).

A window serves some hall categories and ticket kinds. A clerk signs in at a window with a
work profile: the queues (category × kind) they call from, in order. While a clerk is signed
in the window is open or paused; signing out closes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.core.access import Place
from onestop.core.i18n import translations_field
from onestop.hall.enums import ProfileMode, TicketKind, WindowState


class WorkProfile(models.Model):
    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.CASCADE, related_name="work_profiles"
    )
    name = models.CharField(max_length=60)
    name_i18n = translations_field()
    mode = models.CharField(max_length=20, choices=ProfileMode.choices, default=ProfileMode.ORDERED)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="hall_profile_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class WorkProfileEntry(models.Model):
    """One queue of a profile; lower `position` is called first."""

    profile = models.ForeignKey(WorkProfile, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey("catalog.HallCategory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["profile", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "category", "kind"], name="hall_profile_entry_unique_queue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}:{self.position} {self.category_id}/{self.kind}"


class Window(models.Model):
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="windows")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60, blank=True)
    categories = models.ManyToManyField("catalog.HallCategory", related_name="+")
    # The ticket kinds served here (TicketKind values).
    kinds = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=WindowState.choices, default=WindowState.CLOSED)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hall_windows",
    )
    profile = models.ForeignKey(
        WorkProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="windows"
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="hall_window_unique_number"),
            # A clerk is signed in at one window at a time.
            models.UniqueConstraint(
                fields=["clerk"], condition=Q(clerk__isnull=False), name="hall_window_one_per_clerk"
            ),
            models.CheckConstraint(
                condition=Q(state=WindowState.CLOSED, clerk__isnull=True, profile__isnull=True)
                | (
                    Q(state__in=[WindowState.OPEN, WindowState.PAUSED])
                    & Q(clerk__isnull=False, profile__isnull=False)
                ),
                name="hall_window_signed_in_when_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} #{self.number}"

    @property
    def place(self) -> Place:
        return Place(centre_id=self.centre_id)
