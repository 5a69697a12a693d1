"""The booking rules and where each comes from.

A person's limits hold across the city, so they are settings only: `ONESTOP_BOOKING_MAX_OPEN`
(open bookings at once), `ONESTOP_BOOKING_NO_SHOW_LIMIT` no-shows within
`ONESTOP_BOOKING_NO_SHOW_WINDOW_DAYS` block booking for `ONESTOP_BOOKING_BLOCK_DAYS`, and
reminders go out from `ONESTOP_BOOKING_REMINDER_TIME` on the day before. A centre's rules are
settings that a `CentreRules` row may override field by field: booking opens
`ONESTOP_BOOKING_OPEN_DAYS_AHEAD` days ahead at `ONESTOP_BOOKING_OPEN_TIME`, cancelling stops
`ONESTOP_BOOKING_CANCEL_CUTOFF_MINUTES` before the slot, a cancelled seat is held
`ONESTOP_BOOKING_RELEASE_HOLD_MINUTES`, and check-in opens `..._CHECKIN_EARLY_MINUTES` before
the slot and is on time until `..._CHECKIN_LATE_MINUTES` after its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from onestop.appointments.models import CentreRules

DEFAULTS: dict[str, Any] = {
    "OPEN_DAYS_AHEAD": 7,
    "OPEN_TIME": "08:00",
    "CANCEL_CUTOFF_MINUTES": 60,
    "RELEASE_HOLD_MINUTES": 30,
    "CHECKIN_EARLY_MINUTES": 30,
    "CHECKIN_LATE_MINUTES": 15,
    "MAX_OPEN": 3,
    "NO_SHOW_LIMIT": 3,
    "NO_SHOW_WINDOW_DAYS": 90,
    "BLOCK_DAYS": 30,
    "REMINDER_TIME": "09:00",
}


def setting(name: str) -> Any:
    return getattr(settings, f"ONESTOP_BOOKING_{name}", DEFAULTS[name])


def _as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


@dataclass(frozen=True)
class CentreRuleSet:
    open_days_ahead: int
    open_time: time
    cancel_cutoff: timedelta
    release_hold: timedelta
    checkin_early: timedelta
    checkin_late: timedelta

    def opens_for(self, day: date) -> datetime:
        """When booking opens for slots on `day` (local time)."""
        return timezone.make_aware(
            datetime.combine(day - timedelta(days=self.open_days_ahead), self.open_time)
        )


@dataclass(frozen=True)
class PersonRuleSet:
    max_open: int
    no_show_limit: int
    no_show_window: timedelta
    block_for: timedelta


def centre_rules(centre_id: int) -> CentreRuleSet:
    row = CentreRules.objects.filter(centre_id=centre_id).first()

    def pick(field: str) -> Any:
        value = getattr(row, field, None) if row is not None else None
        return setting(field.upper()) if value is None else value

    return CentreRuleSet(
        open_days_ahead=int(pick("open_days_ahead")),
        open_time=_as_time(pick("open_time")),
        cancel_cutoff=timedelta(minutes=int(pick("cancel_cutoff_minutes"))),
        release_hold=timedelta(minutes=int(pick("release_hold_minutes"))),
        checkin_early=timedelta(minutes=int(pick("checkin_early_minutes"))),
        checkin_late=timedelta(minutes=int(pick("checkin_late_minutes"))),
    )


def person_rules() -> PersonRuleSet:
    return PersonRuleSet(
        max_open=int(setting("MAX_OPEN")),
        no_show_limit=int(setting("NO_SHOW_LIMIT")),
        no_show_window=timedelta(days=int(setting("NO_SHOW_WINDOW_DAYS"))),
        block_for=timedelta(days=int(setting("BLOCK_DAYS"))),
    )


def reminder_time() -> time:
    return _as_time(setting("REMINDER_TIME"))
