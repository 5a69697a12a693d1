"""Queue tickets (号) and their timeline.

A ticket is one stay in one queue. Converting (咨询号 → 受理号 → 取件号) or transferring it to
another category ends it and starts a successor row (`parent` set) that keeps the display
number, the public token, the arrival time and the place in line: the person never takes a
new number. Every change of state is a TicketEvent row; statistics read only those.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from onestop.core.access import Place
from onestop.hall.enums import (
    AT_WINDOW,
    PriorityGroup,
    TicketAction,
    TicketKind,
    TicketSource,
    TicketState,
)


class NumberSeries(models.Model):
    """The last number issued under a prefix in a centre on a service day."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    service_day = models.DateField()
    prefix = models.CharField(max_length=2)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "service_day", "prefix"], name="hall_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.service_day} {self.prefix}{self.last_number}"


class Ticket(models.Model):
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    service_day = models.DateField()
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    category = models.ForeignKey("catalog.HallCategory", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=2)
    number = models.PositiveIntegerField()
    display = models.CharField(max_length=10)
    source = models.CharField(max_length=20, choices=TicketSource.choices)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item_key = models.CharField(max_length=40, blank=True)
    priority = models.CharField(max_length=20, choices=PriorityGroup.choices, blank=True)
    booking_ref = models.CharField(max_length=40, blank=True)
    arrived_at = models.DateTimeField()
    # When the ticket joins the line: its arrival, or an appointment's slot start.
    queue_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=TicketState.choices, default=TicketState.WAITING
    )
    window = models.ForeignKey(
        "hall.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    call_count = models.PositiveSmallIntegerField(default=0)
    last_called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    notify_at_position = models.PositiveSmallIntegerField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # For the phone status page; shared by a ticket and its successors.
    public_token = models.CharField(max_length=32, db_index=True)

    class Meta:
        ordering = ["service_day", "queue_at", "id"]
        indexes = [
            models.Index(
                fields=["centre", "service_day", "state", "category", "kind", "queue_at"],
                name="hall_ticket_line",
            ),
            models.Index(fields=["centre", "service_day", "display"], name="hall_ticket_display"),
            models.Index(fields=["category", "kind", "finished_at"], name="hall_ticket_finished"),
        ]
        constraints = [
            # A number is issued once; successors keep their root's number.
            models.UniqueConstraint(
                fields=["centre", "service_day", "prefix", "number"],
                condition=Q(parent__isnull=True),
                name="hall_ticket_number_once",
            ),
            models.UniqueConstraint(
                fields=["public_token"],
                condition=Q(parent__isnull=True),
                name="hall_ticket_token_once",
            ),
            # A window holds at most one called or serving ticket.
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(state__in=sorted(AT_WINDOW)),
                name="hall_ticket_one_per_window",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(AT_WINDOW)) | Q(window__isnull=False),
                name="hall_ticket_at_window_has_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.state})"

    @property
    def place(self) -> Place:
        return Place(centre_id=self.centre_id, person_id=self.person_id)

    @property
    def root_id(self) -> int:
        return self.parent_id or self.pk


class TicketEvent(models.Model):
    """One change of a ticket, written in the transaction of the change."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    service_day = models.DateField()
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=TicketAction.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    window = models.ForeignKey(
        "hall.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(max_length=200, blank=True)
    # Structured detail: why a ticket was called (calling.Reason rows), what it became.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["centre", "service_day", "action"], name="hall_event_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.from_state}->{self.to_state}"
