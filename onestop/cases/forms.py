"""The figures page's filter: a range of days on which cases were accepted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A year and a day: a year's figures, compared with the year before, is the longest view.
MAX_RANGE_DAYS = 366


class FiguresFilter(forms.Form):
    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, *, today: date | None = None) -> None:
        today = today or timezone.localdate()
        # Without a query: the last 30 days, today included.
        defaults = {"first": (today - timedelta(days=29)).isoformat(), "last": today.isoformat()}
        super().__init__({**defaults, **{k: v for k, v in (data or {}).items() if v}})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The range ends before it starts."))
            if (last - first).days >= MAX_RANGE_DAYS:
                raise forms.ValidationError(
                    _("Choose at most %(days)d days.") % {"days": MAX_RANGE_DAYS}
                )
        return cleaned
