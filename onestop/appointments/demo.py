"""The demo's slot templates: every bookable category of the Tianhe district centre and of
the two Tianhe street centres, and the city centre's business category, in 30-minute slots;
then the slots of the coming days.

The street and city centres' slots run through office hours (09:00–17:00). The Tianhe
district centre is the demo's round-the-clock hall (onestop/demo/centres.py), so its slots
run all day, every day: whenever someone tries the demo, a slot starts within the next half
hour, and a booking made now can be checked in at the kiosk at once
(docs/decisions/0016-demo-at-any-hour.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from onestop.appointments.models import SlotTemplate
from onestop.appointments.services import (
    slot_template_create,
    slot_template_set_active,
    slots_generate,
)
from onestop.centres.selectors import centre_get
from onestop.core.errors import NotFound

OFFICE = (time(9), time(17))
# Until the last microsecond of the day: the last slot is 23:00–23:30, since a slot may not
# end past midnight; from 23:30 the next bookable slot is the next day's 00:00.
ALL_DAY = (time(0), time.max)
EVERY_DAY = range(7)


@dataclass(frozen=True)
class TemplateSpec:
    centre: str
    category: str
    weekdays: range
    capacity: int  # bookings per 30 minutes
    hours: tuple[time, time] = OFFICE

    @property
    def weekday_digits(self) -> str:
        return "".join(str(d) for d in self.weekdays)


DEMO_TEMPLATES: list[TemplateSpec] = [
    *(
        TemplateSpec("gz-th", code, EVERY_DAY, 4, ALL_DAY)
        for code in ("registration", "business", "construction")
    ),
    TemplateSpec("gz-th", "trade", EVERY_DAY, 2, ALL_DAY),
    TemplateSpec("gz-th", "social", EVERY_DAY, 6, ALL_DAY),
    *(TemplateSpec("gz-th-wushan", code, range(5), 2) for code in ("registration", "social")),
    *(TemplateSpec("gz-th-shipai", code, range(5), 2) for code in ("registration", "social")),
    TemplateSpec("gz-city", "business", range(5), 4),
]


def _matches(template: SlotTemplate, spec: TemplateSpec) -> bool:
    return (template.start, template.end, template.weekdays) == (
        *spec.hours,
        spec.weekday_digits,
    )


def appointments_seed_demo(*, actor: Any) -> int:
    """Create the demo templates that are missing (by centre and category) and generate the
    slots; returns how many templates were created. Re-running changes nothing. A template
    left by an older demo with other hours is retired for the demo's own (its slots made
    already stay bookable)."""
    created = 0
    for spec in DEMO_TEMPLATES:
        try:
            centre = centre_get(spec.centre)
        except NotFound:
            continue
        if not centre.categories.filter(code=spec.category).exists():
            continue
        active = list(
            SlotTemplate.objects.filter(
                centre=centre, category__code=spec.category, item_key="", is_active=True
            )
        )
        if any(_matches(template, spec) for template in active):
            continue
        if SlotTemplate.objects.filter(centre=centre, category__code=spec.category).exists() and (
            not active
        ):
            # Someone retired the category's templates in the admin: leave it so.
            continue
        for template in active:
            slot_template_set_active(actor=actor, template=template, active=False)
        slot_template_create(
            actor=actor,
            centre=centre,
            category_code=spec.category,
            weekdays=spec.weekdays,
            start=spec.hours[0],
            end=spec.hours[1],
            length_minutes=30,
            capacity=spec.capacity,
        )
        created += 1
    slots_generate()
    return created
