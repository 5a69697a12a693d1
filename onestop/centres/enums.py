from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class CentreLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / town")


class ErrorCode(StrEnum):
    CENTRE_NOT_FOUND = "centre_not_found"
    INVALID_CENTRE = "invalid_centre"
    INVALID_HOURS = "invalid_hours"
    NOT_ALLOWED = "not_allowed"
