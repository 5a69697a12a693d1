"""Ticket numbers: one series per prefix per centre per service day.

The series row is created if missing (an insert that ignores a concurrent twin), then locked
and advanced: concurrent issuers queue on the row (PostgreSQL row lock; SQLite's IMMEDIATE
transactions serialise writers), so no number is handed out twice. The advance belongs to
the issuing transaction: an issue that fails gives its number back.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import F

from onestop.hall.models import NumberSeries


def number_next(centre_id: int, day: date, prefix: str) -> int:
    """The next number of the series. Must run inside the issuing transaction."""
    assert connection.in_atomic_block, "number_next must run inside a transaction"
    rows = NumberSeries.objects.filter(centre_id=centre_id, service_day=day, prefix=prefix)
    series = rows.select_for_update().first()
    if series is None:
        NumberSeries.objects.bulk_create(
            [NumberSeries(centre_id=centre_id, service_day=day, prefix=prefix)],
            ignore_conflicts=True,
        )
        series = rows.select_for_update().get()
    rows.filter(pk=series.pk).update(last_number=F("last_number") + 1)
    return series.last_number + 1


def display_for(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"
