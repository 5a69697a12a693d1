"""Small value objects of the catalog: a time limit, and how it reads in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.catalog.enums import LIMIT_UNIT_ZH, LimitUnit

_UNITS = frozenset(LimitUnit.values)
_UNCOUNTED = frozenset({LimitUnit.IMMEDIATE, LimitUnit.NONE})


@dataclass(frozen=True)
class Limit:
    """A statutory or promised time limit (法定 / 承诺办结时限): a number and its unit, or
    one of the two units that carry no number (即办, 无)."""

    value: int | None
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise ValueError(f"unknown limit unit {self.unit!r}")
        numbered = self.unit not in _UNCOUNTED
        if numbered != (self.value is not None):
            raise ValueError(f"a limit in {self.unit} needs a value exactly when it is counted")

    @classmethod
    def none(cls) -> Limit:
        return cls(None, LimitUnit.NONE)

    @classmethod
    def immediate(cls) -> Limit:
        return cls(None, LimitUnit.IMMEDIATE)

    @property
    def is_immediate(self) -> bool:
        return self.unit == LimitUnit.IMMEDIATE

    @property
    def is_stated(self) -> bool:
        return self.unit != LimitUnit.NONE

    def as_source_text(self) -> str:
        """The form the Guangdong file and the native layout use: `20(工作日)`, `即办`, `无`."""
        if self.value is None:
            return LIMIT_UNIT_ZH[self.unit]
        return f"{self.value}({LIMIT_UNIT_ZH[self.unit]})"

    def in_words(self) -> str:
        """`5 working days`, `on the spot`, `no limit stated`, translated."""
        if self.unit == LimitUnit.IMMEDIATE:
            return _("on the spot")
        if self.unit == LimitUnit.NONE or self.value is None:
            return _("no limit stated")
        if self.unit == LimitUnit.WORKING_DAYS:
            return ngettext("%(count)d working day", "%(count)d working days", self.value) % {
                "count": self.value
            }
        if self.unit == LimitUnit.NATURAL_DAYS:
            return ngettext("%(count)d calendar day", "%(count)d calendar days", self.value) % {
                "count": self.value
            }
        return ngettext("%(count)d hour", "%(count)d hours", self.value) % {"count": self.value}
