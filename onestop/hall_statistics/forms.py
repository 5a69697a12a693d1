"""The statistics page's filter: a range of service days and which table to show."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError
from onestop.hall_statistics.enums import TableBy
from onestop.hall_statistics.selectors import range_check


class StatisticsFilter(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("Rows"), choices=TableBy.choices, initial=TableBy.CATEGORY)

    def __init__(self, data: Any = None, *, today: date | None = None) -> None:
        today = today or timezone.localdate()
        # Without a query the page shows today by category; a partial query keeps the rest.
        defaults = {"start": today.isoformat(), "end": today.isoformat(), "by": TableBy.CATEGORY}
        merged = {**defaults, **{k: v for k, v in (data or {}).items() if v}}
        super().__init__(merged)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            try:
                range_check(start, end)
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return cleaned
