"""The vocabularies of delivery: compartment sizes, what became of a result put in a
locker, what a pickup attempt came to, and error codes
(docs/decisions/0032-delivery-and-pickup-lockers.md)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompartmentSize(models.TextChoices):
    SMALL = "S", _("Small")
    MEDIUM = "M", _("Medium")
    LARGE = "L", _("Large")


# Smallest first: a result goes to the smallest free compartment at least as big as asked.
SIZE_ORDER: tuple[str, ...] = (CompartmentSize.SMALL, CompartmentSize.MEDIUM, CompartmentSize.LARGE)


class DepositState(models.TextChoices):
    WAITING = "waiting", _("Waiting in the locker")
    COLLECTED = "collected", _("Collected")
    # Not collected in time: moved back to the issuance window.
    RECOVERED = "recovered", _("Moved back to the window")


class PickupOutcome(StrEnum):
    OPENED = "opened"
    WRONG_CODE = "wrong_code"
    LOCKED = "locked"


class ErrorCode(StrEnum):
    LOCKER_NOT_FOUND = "locker_not_found"
    NOT_FOR_LOCKER = "not_for_locker"
    ALREADY_IN_LOCKER = "already_in_locker"
    NO_FREE_COMPARTMENT = "no_free_compartment"
    INVALID_SIZE = "invalid_size"
    INVALID_CODE = "invalid_code"
    NOTHING_WAITING = "nothing_waiting"
    MOVED_TO_WINDOW = "moved_to_window"
    DEVICE_FAULT = "device_fault"
    NOT_THE_APPLICANT = "not_the_applicant"
    INVALID_TRACKING = "invalid_tracking"
    SHIPMENT_NOT_FOUND = "shipment_not_found"
    INVALID_LOCKER = "invalid_locker"
