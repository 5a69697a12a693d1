"""Small value checks shared by the services and the selectors."""

from __future__ import annotations

import re
import unicodedata

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
