"""Normalising and masking the values identity works with: names, mobile numbers and
social-security card numbers. Resident ID numbers and USCCs are core's (onestop.core.ids)."""

from __future__ import annotations

import re
import secrets
import unicodedata

from django.utils.translation import gettext as _

from onestop.core.errors import DomainError
from onestop.identity.enums import ErrorCode

MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
# The social-security card number (社会保障卡卡号) printed on the card is not the holder's
# ID number: each province issues its own, 9 to 12 digits and capital letters. We accept
# that shape and nothing else; a card whose number is the ID number is read as an ID.
SOCIAL_SECURITY_NO = re.compile(r"(?=.*\d)[0-9A-Z]{9,12}")
NAME_MAX_LENGTH = 60


def _fold(value: str) -> str:
    # NFKC folds the full-width digits and letters of Chinese input methods.
    return unicodedata.normalize("NFKC", value)


def normalize_phone(value: str) -> str:
    """A mainland mobile number as 11 digits; spaces, dashes and a +86 prefix are dropped."""
    digits = re.sub(r"[\s\-()]", "", _fold(value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not MAINLAND_MOBILE.fullmatch(digits):
        raise DomainError(
            ErrorCode.INVALID_PHONE,
            _("A mobile number has 11 digits and starts with 13 to 19, e.g. 13800138000."),
        )
    return digits


def normalize_social_security_no(value: str) -> str:
    number = "".join(_fold(value or "").split()).upper()
    if not SOCIAL_SECURITY_NO.fullmatch(number):
        raise DomainError(
            ErrorCode.INVALID_SOCIAL_SECURITY_NO,
            _(
                "A social-security card number has 9 to 12 digits and capital letters, "
                "at least one of them a digit."
            ),
        )
    return number


def normalize_name(value: str, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """A person's or a body's name: inner runs of spaces collapsed, ends trimmed."""
    name = " ".join(_fold(value or "").split())
    if not name:
        raise DomainError(ErrorCode.INVALID_NAME, _("The name is empty."))
    if len(name) > max_length:
        raise DomainError(
            ErrorCode.INVALID_NAME,
            _("The name is longer than %(max)d characters.") % {"max": max_length},
        )
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise DomainError(ErrorCode.INVALID_NAME, _("The name holds control characters."))
    return name


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the first character, then one star per character."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


PUBLIC_ID_LENGTH = 20


def new_public_id() -> str:
    """A person's public id: 120 random bits, URL-safe. What callers see instead of the
    table's sequential key, so one id tells nothing about any other."""
    return secrets.token_urlsafe(PUBLIC_ID_LENGTH * 3 // 4)
