"""Per-centre configuration: ticket number prefixes and the calling rules."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from onestop.hall.enums import TicketKind

PREFIX_PATTERN = r"^[A-Z]{1,2}$"


class TicketPrefix(models.Model):
    """The letter(s) before a ticket's number for a category × kind. The most specific row
    wins: this centre and category, this centre any category, every centre and this category,
    every centre any category. Tickets sharing a prefix share its number series, so a display
    number is never issued twice in a centre on a day."""

    centre = models.ForeignKey(
        "centres.Centre", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.HallCategory", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    prefix = models.CharField(max_length=2, validators=[RegexValidator(PREFIX_PATTERN)])

    class Meta:
        verbose_name_plural = "ticket prefixes"
        constraints = [
            # One row per (centre or every centre) × (category or any) × kind.
            models.UniqueConstraint(
                fields=["centre", "category", "kind"],
                condition=Q(centre__isnull=False, category__isnull=False),
                name="hall_prefix_unique",
            ),
            models.UniqueConstraint(
                fields=["centre", "kind"],
                condition=Q(centre__isnull=False, category__isnull=True),
                name="hall_prefix_unique_centre_kind",
            ),
            models.UniqueConstraint(
                fields=["category", "kind"],
                condition=Q(centre__isnull=True, category__isnull=False),
                name="hall_prefix_unique_category_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(centre__isnull=True, category__isnull=True),
                name="hall_prefix_unique_kind",
            ),
            models.CheckConstraint(
                condition=Q(prefix__regex=PREFIX_PATTERN), name="hall_prefix_letters"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.centre_id or '*'}/{self.category_id or '*'}/{self.kind})"


class HallRules(models.Model):
    """A centre's calling rules; a centre without a row follows `calling.DEFAULT_RULES`."""

    centre = models.OneToOneField("centres.Centre", on_delete=models.CASCADE, related_name="+")
    priority_groups = models.JSONField(default=list, blank=True)
    elderly_age = models.PositiveSmallIntegerField(default=70)
    fairness_minutes = models.PositiveSmallIntegerField(default=30)
    max_recalls = models.PositiveSmallIntegerField(default=3)
    recall_gap_seconds = models.PositiveIntegerField(default=30)
    no_show_after_recalls = models.PositiveSmallIntegerField(default=1)
    serve_early_appointments_when_idle = models.BooleanField(default=True)
    estimate_window_minutes = models.PositiveSmallIntegerField(default=120)
    # Service minutes assumed per kind when too few tickets finished recently.
    default_service_minutes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "hall rules"

    def __str__(self) -> str:
        return f"rules for {self.centre_id or 'every centre'}"
