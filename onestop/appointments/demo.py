"""The demo's slot templates: every bookable category of the Tianhe district centre and of
the two Tianhe street centres, and the city centre's business category, in 30-minute slots
through the opening hours; then the slots of the coming days."""

from __future__ import annotations

from datetime import time
from typing import Any

from onestop.appointments.models import SlotTemplate
from onestop.appointments.services import slot_template_create, slots_generate
from onestop.centres.selectors import centre_get
from onestop.core.errors import NotFound

DEMO_TEMPLATES: list[tuple[str, str, range, int]] = [
    # centre, category, weekdays, capacity per 30 minutes
    *(("gz-th", code, range(6), 4) for code in ("registration", "business", "construction")),
    ("gz-th", "trade", range(5), 2),
    ("gz-th", "social", range(6), 6),
    *(("gz-th-wushan", code, range(5), 2) for code in ("registration", "social")),
    *(("gz-th-shipai", code, range(5), 2) for code in ("registration", "social")),
    ("gz-city", "business", range(5), 4),
]


def appointments_seed_demo(*, actor: Any) -> int:
    """Create the demo templates that are missing (by centre and category) and generate the
    slots; returns how many templates were created. Re-running changes nothing."""
    created = 0
    for centre_code, category, weekdays, capacity in DEMO_TEMPLATES:
        try:
            centre = centre_get(centre_code)
        except NotFound:
            continue
        if (
            not centre.categories.filter(code=category).exists()
            or SlotTemplate.objects.filter(centre=centre, category__code=category).exists()
        ):
            continue
        slot_template_create(
            actor=actor,
            centre=centre,
            category_code=category,
            weekdays=weekdays,
            start=time(9),
            end=time(17),
            length_minutes=30,
            capacity=capacity,
        )
        created += 1
    slots_generate()
    return created
