"""The hall statistics' tables and error codes."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class TableBy(models.TextChoices):
    """What a statistics table has a row for."""

    DAY = "day", _("Day")
    CATEGORY = "category", _("Category")
    KIND = "kind", _("Ticket kind")
    WINDOW = "window", _("Window")
    CLERK = "clerk", _("Clerk")


class ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    INVALID_RANGE = "invalid_range"
    INVALID_TABLE = "invalid_table"
