"""Appointments (预约): slot templates, the slots they generate, bookings, and what limits a
person's booking (their booker row, no-show blocks).

Two counts must hold under concurrency, and both are database facts rather than checks in
Python: a slot's `booked` never passes its `capacity` (a check constraint, and every seat
is taken by one conditional UPDATE), and a person holds at most one active booking per
category per day (a partial unique constraint). A cancelled booking keeps its seat counted
in `booked` until the hold has passed (`seat_held`), so a seat cannot be handed to a friend.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.appointments.enums import ACTIVE_STATES, BookingAction, BookingState
from onestop.core.access import Place


class CentreRules(models.Model):
    """One centre's overrides of the booking rules; a blank field takes the setting
    (onestop.appointments.rules)."""

    centre = models.OneToOneField(
        "centres.Centre", on_delete=models.CASCADE, related_name="booking_rules"
    )
    open_days_ahead = models.PositiveSmallIntegerField(null=True, blank=True)
    open_time = models.TimeField(null=True, blank=True)
    cancel_cutoff_minutes = models.PositiveIntegerField(null=True, blank=True)
    release_hold_minutes = models.PositiveIntegerField(null=True, blank=True)
    checkin_early_minutes = models.PositiveIntegerField(null=True, blank=True)
    checkin_late_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "centre rules"

    def __str__(self) -> str:
        return f"rules of centre {self.centre_id}"


class SlotTemplate(models.Model):
    """How a centre's slots of one category (or one service item) are cut: on these
    weekdays, from `start` to `end`, windows of `length_minutes`, each taking `capacity`
    bookings. Windows outside the centre's sessions of the day are not made."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalog.HallCategory", on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=64, blank=True, default="")
    weekdays = models.CharField(max_length=7, help_text="digits 0 (Monday) to 6 (Sunday)")
    start = models.TimeField()
    end = models.TimeField()
    length_minutes = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["centre", "category", "item_key", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_template_end"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_template_capacity"),
            models.CheckConstraint(condition=Q(length_minutes__gte=5), name="appt_template_length"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}{'/' + self.item_key if self.item_key else ''} {self.weekdays}"


class Slot(models.Model):
    """One bookable window. `booked` counts the seats taken, including seats held after a
    cancellation until the hold passes."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalog.HallCategory", on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=64, blank=True, default="")
    template = models.ForeignKey(
        SlotTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    day = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)
    # Of `booked`, the seats of cancelled bookings still on hold: a full slot with none
    # held is refused without looking at its bookings.
    held = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "category", "item_key"]
        indexes = [models.Index(fields=["centre", "category", "day"], name="appt_slot_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "category", "item_key", "starts_at"], name="appt_slot_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="appt_slot_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appt_slot_end"),
            models.CheckConstraint(condition=Q(held__lte=F("booked")), name="appt_slot_held"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(models.Model):
    """A person's booking of a slot. Centre, category and day are copied from the slot so
    the per-person rule is one partial unique constraint."""

    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("catalog.HallCategory", on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=64, blank=True, default="")
    day = models.DateField()
    code = models.CharField(max_length=12, unique=True)
    state = models.CharField(
        max_length=12, choices=BookingState.choices, default=BookingState.BOOKED
    )
    # True while this booking's seat is counted in slot.booked.
    seat_held = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    seat_released_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_late = models.BooleanField(default=False)
    no_show_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "state"], name="appt_booking_person_state"),
            models.Index(fields=["state", "day"], name="appt_booking_state_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category", "day"],
                condition=Q(state__in=ACTIVE_STATES),
                name="appt_one_active_per_category_day",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def place(self) -> Place:
        return Place(centre_id=self.centre_id, person_id=self.person_id)


class BookingEvent(models.Model):
    """One entry of a booking's timeline, written by the BOOKING machine (enums) in the
    transaction of what it records: booked, confirmation and reminder sent, cancelled,
    checked in (by which kiosk), marked as not come."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=BookingAction.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    # None: the platform (a sweep).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action}"


class Booker(models.Model):
    """A person as a booker: the row their booking attempts lock, one at a time, so the
    "at most K open bookings" count cannot be passed by two requests at once."""

    person = models.OneToOneField("identity.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"booker {self.person_id}"


class BookingBlock(models.Model):
    """A stop on booking after repeated no-shows. Lifted early only by staff, with a
    reason."""

    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    # Where the no-show that crossed the limit happened: that centre's hall manager may
    # lift the block (a platform admin anywhere).
    centre = models.ForeignKey(
        "centres.Centre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    no_shows = models.PositiveSmallIntegerField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("booking block")

    def __str__(self) -> str:
        return f"block of {self.person_id} until {self.ends_at:%Y-%m-%d}"

    @property
    def place(self) -> Place:
        return Place(centre_id=self.centre_id, person_id=self.person_id)
