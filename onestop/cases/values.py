"""Small value checks shared by the services and the selectors."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onestop.cases.enums import ErrorCode
from onestop.core.errors import DomainError

MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")


def phone_clean(value: str) -> str:
    """A mainland mobile number as 11 digits (full-width digits, spaces, dashes and +86
    allowed in the input); "" for none."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if digits and not MAINLAND_MOBILE.fullmatch(digits):
        raise DomainError(
            ErrorCode.APPLICANT_REQUIRED,
            _("A mobile number has 11 digits and starts with 13 to 19, e.g. 13800138000."),
        )
    return digits


# A courier's address: long enough to hold a district, a street and a door, short enough for
# a waybill; a recipient's name as a waybill prints it.
ADDRESS_MIN_LENGTH = 8
ADDRESS_MAX_LENGTH = 120
RECIPIENT_MAX_LENGTH = 30


@dataclass(frozen=True)
class Courier:
    """Where a result sent by courier goes: recipient, mobile number, address."""

    recipient: str
    phone: str
    address: str


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") for c in text)


def courier_clean(recipient: str, phone: str, address: str) -> Courier:
    """The courier's details, checked: a name, a mainland mobile number and an address of
    8 to 120 characters, none with control characters. Spaces are collapsed; full-width
    characters of the address are kept as typed (they are the address)."""
    name = " ".join((recipient or "").split())
    text = " ".join((address or "").split())
    if not name or len(name) > RECIPIENT_MAX_LENGTH or _has_control(name):
        raise DomainError(
            ErrorCode.COURIER_ADDRESS,
            _("Give the recipient's name (at most %(max)d characters).")
            % {"max": RECIPIENT_MAX_LENGTH},
        )
    if not ADDRESS_MIN_LENGTH <= len(text) <= ADDRESS_MAX_LENGTH or _has_control(text):
        raise DomainError(
            ErrorCode.COURIER_ADDRESS,
            _("Give the full address, %(min)d to %(max)d characters: district, street, door.")
            % {"min": ADDRESS_MIN_LENGTH, "max": ADDRESS_MAX_LENGTH},
        )
    try:
        digits = phone_clean(phone)
    except DomainError:
        digits = ""
    if not digits:
        raise DomainError(
            ErrorCode.COURIER_ADDRESS,
            _("Give the recipient's mobile number: 11 digits starting with 13 to 19."),
        )
    return Courier(name, digits, text)
