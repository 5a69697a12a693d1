"""The demo's slot templates: every category of every active centre (the demo's 14), in
30-minute slots; then the slots of the coming days.

A centre's slots run through office hours (09:00–17:00) on the weekdays its timetable opens
(the district centres' Saturday mornings included; slot generation cuts them to the
centre's sessions and skips the days the working-day calendar closes it). The Tianhe
district centre is the demo's round-the-clock hall (onestop/demo/centres.py), so its slots
run all day, every day: whenever someone tries the demo, a slot starts within the next half
hour, and a booking made now can be checked in at the kiosk at once
(docs/decisions/0016-demo-at-any-hour.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from onestop.appointments.models import SlotTemplate
from onestop.appointments.services import (
    slot_template_create,
    slot_template_set_active,
    slots_generate,
)
from onestop.centres.selectors import centre_timetable, centres_active
from onestop.identity.actors import StaffUser

OFFICE = (time(9), time(17))
# Until the last microsecond of the day: the last slot is 23:00–23:30, since a slot may not
# end past midnight; from 23:30 the next bookable slot is the next day's 00:00.
ALL_DAY = (time(0), time.max)
EVERY_DAY = range(7)


@dataclass(frozen=True)
class TemplateSpec:
    centre: str
    category: str
    weekdays: range | tuple[int, ...]
    capacity: int  # bookings per 30 minutes
    hours: tuple[time, time] = OFFICE

    @property
    def weekday_digits(self) -> str:
        return "".join(str(d) for d in self.weekdays)


# The round-the-clock demo hall (onestop/demo/centres.py).
ROUND_THE_CLOCK_CENTRE = "gz-th"
CAPACITY_BY_LEVEL = {"city": 4, "district": 3, "street": 2}


def demo_templates() -> list[TemplateSpec]:
    """One template per category of each active centre."""
    specs = []
    for centre in centres_active().prefetch_related("categories").order_by("code"):
        open_days = tuple(day for day, sessions in centre_timetable(centre).items() if sessions)
        if not open_days:
            continue
        all_day = centre.code == ROUND_THE_CLOCK_CENTRE
        for category in centre.categories.all():
            capacity = CAPACITY_BY_LEVEL.get(centre.level, 2)
            if category.code == "trade":
                capacity = 2
            elif category.code == "social" and all_day:
                capacity = 6
            specs.append(
                TemplateSpec(
                    centre.code,
                    category.code,
                    EVERY_DAY if all_day else open_days,
                    capacity,
                    ALL_DAY if all_day else OFFICE,
                )
            )
    return specs


def _matches(template: SlotTemplate, spec: TemplateSpec) -> bool:
    return (template.start, template.end, template.weekdays) == (
        *spec.hours,
        spec.weekday_digits,
    )


def appointments_seed_demo(*, actor: StaffUser) -> int:
    """Create the demo templates that are missing (by centre and category) and generate the
    slots; returns how many templates were created. Re-running changes nothing. A template
    left by an older demo with other hours is retired for the demo's own (its slots made
    already stay bookable)."""
    created = 0
    centres = {centre.code: centre for centre in centres_active()}
    for spec in demo_templates():
        centre = centres[spec.centre]
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
            slot_template_set_active(actor=actor, template_id=template.pk, active=False)
        slot_template_create(
            actor=actor,
            centre_id=centre.pk,
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
