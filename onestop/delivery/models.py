"""Lockers (自助取件柜) with their compartments, results put in them, and courier shipments.

A compartment holds at most one waiting result: a partial unique index on the deposits
says so, whatever the services do (docs/decisions/0032-delivery-and-pickup-lockers.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.core.access import Place
from onestop.delivery.enums import CompartmentSize, DepositState


class Locker(models.Model):
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=100)
    location = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["centre", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="delivery_locker_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> Place:
        return Place(centre_id=self.centre_id)


class Compartment(models.Model):
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="compartments")
    label = models.CharField(max_length=8)
    size = models.CharField(max_length=1, choices=CompartmentSize.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["locker", "label"]
        constraints = [
            models.UniqueConstraint(fields=["locker", "label"], name="delivery_compartment_label"),
        ]

    def __str__(self) -> str:
        return f"{self.locker.code}-{self.label}"


class Deposit(models.Model):
    """A result put in a compartment, with its pickup code (hashed: only the applicant's SMS
    carries it), the wrong tries against it and what became of it."""

    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, related_name="deposits")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=DepositState.choices, default=DepositState.WAITING
    )
    code_salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deposited_at = models.DateTimeField(default=timezone.now)
    collected_at = models.DateTimeField(null=True, blank=True)
    recovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deposited_at", "-id"]
        constraints = [
            # The guarantee: never two waiting results in one compartment, nor one result in
            # two compartments.
            models.UniqueConstraint(
                fields=["compartment"],
                condition=Q(state=DepositState.WAITING),
                name="delivery_one_result_per_compartment",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state=DepositState.WAITING),
                name="delivery_one_compartment_per_case",
            ),
        ]
        indexes = [models.Index(fields=["state", "deposited_at"], name="delivery_state_at")]

    def __str__(self) -> str:
        return f"case #{self.case_id} in {self.compartment_id}"


class Shipment(models.Model):
    """A result sent by courier: the carrier and tracking number; delivered when confirmed."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=40)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"
