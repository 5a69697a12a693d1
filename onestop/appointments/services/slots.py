"""Slot templates and the slots they make.

`slots_generate` makes the slots of the next days from the active templates: it is
idempotent (a slot is unique by centre, category, item and start, and inserts that exist are
skipped), never makes a slot on a day the centre is closed (holidays, by the working-day
calendar) and never a window that leaves the centre's sessions of the day. A template change
applies to slots generated after it; slots already made keep their times and capacity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.appointments import policies
from onestop.appointments.enums import ErrorCode
from onestop.appointments.models import Slot, SlotTemplate
from onestop.appointments.policies import Perm
from onestop.appointments.rules import centre_rules
from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import Session, centre_get_by_id, centre_sessions_on
from onestop.core.access import Place
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, NotFound
from onestop.core.service import audited
from onestop.core.workdays import day_kind
from onestop.identity.actors import StaffUser

# Slots are made this many days beyond the day booking opens for, so the page can say
# "not open yet" for the next day instead of showing nothing.
EXTRA_DAYS = 1


def _invalid(message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_TEMPLATE, message)


@audited("appointments.slot_template.create")
def slot_template_create(
    *,
    actor: StaffUser,
    centre_id: int,
    category_code: str,
    weekdays: Iterable[int],
    start: time,
    end: time,
    length_minutes: int,
    capacity: int,
    item_key: str = "",
) -> SlotTemplate:
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE_CENTRE, centre.place)
    category = next((c for c in hall_category_list() if c.code == category_code), None)
    if category is None or not centre.categories.filter(pk=category.pk).exists():
        raise _invalid(_("The centre does not offer this hall category."))
    days = sorted(set(weekdays))
    if not days or any(not 0 <= d <= 6 for d in days):
        raise _invalid(_("Give one or more weekdays, 0 (Monday) to 6 (Sunday)."))
    if end <= start:
        raise _invalid(_("A template must end after it starts."))
    if not 5 <= length_minutes <= 480 or not 1 <= capacity <= 1000:
        raise _invalid(_("A slot lasts 5 to 480 minutes and takes 1 to 1,000 bookings."))
    template = SlotTemplate.objects.create(
        centre=centre,
        category=category,
        item_key=item_key.strip(),
        weekdays="".join(str(d) for d in days),
        start=start,
        end=end,
        length_minutes=length_minutes,
        capacity=capacity,
    )
    audit_record(
        actor=actor,
        action="appointments.slot_template.create",
        obj=template,
        after={
            "centre": centre.code,
            "category": category.code,
            "item_key": template.item_key,
            "weekdays": template.weekdays,
            "window": f"{start:%H:%M}-{end:%H:%M}",
            "length_minutes": length_minutes,
            "capacity": capacity,
        },
    )
    return template


@audited("appointments.slot_template.set_active")
def slot_template_set_active(*, actor: StaffUser, template_id: int, active: bool) -> SlotTemplate:
    template = SlotTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound(ErrorCode.TEMPLATE_NOT_FOUND, _("There is no such slot template."))
    policies.RULES.require(actor, Perm.MANAGE_CENTRE, Place(centre_id=template.centre_id))
    before = template.is_active
    template.is_active = active
    template.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="appointments.slot_template.set_active",
        obj=template,
        before={"is_active": before},
        after={"is_active": active},
    )
    return template


def _windows(template: SlotTemplate, sessions: list[Session]) -> Iterable[tuple[time, time]]:
    length = timedelta(minutes=template.length_minutes)
    anchor = date(2000, 1, 1)
    for session in sessions:
        begin = max(template.start, session.opens)
        finish = min(template.end, session.closes)
        moment = datetime.combine(anchor, begin)
        while moment + length <= datetime.combine(anchor, finish):
            yield moment.time(), (moment + length).time()
            moment += length


def _template_applies(template: SlotTemplate, day: date) -> bool:
    if str(day.weekday()) in template.weekdays:
        return True
    # An adjusted working day (调休) on a weekend stands in for a weekday, as the centre's
    # hours do (centres.selectors.centre_sessions_on).
    return (
        day.weekday() >= 5
        and day_kind(day) == "working"
        and any(d in template.weekdays for d in "01234")
    )


@dataclass(frozen=True)
class GenerateReport:
    days: int
    created: int


@audited("appointments.slots.generate", unless=lambda report: report.created == 0)
def slots_generate(
    *,
    actor: StaffUser | None = None,
    today: date | None = None,
    days: int | None = None,
    centre_id: int | None = None,
) -> GenerateReport:
    """Make the missing slots from today to the last day booking is open for (plus
    EXTRA_DAYS), or for `days` days, of every centre or of `centre_id`. Run by the sweep
    (`actor` None, the platform) or by a centre's manager for their centre."""
    centre = centre_get_by_id(centre_id) if centre_id is not None else None
    if actor is not None:
        policies.RULES.require(
            actor, Perm.MANAGE_CENTRE, centre.place if centre is not None else Place()
        )
    today = today or timezone.localdate()
    templates = SlotTemplate.objects.filter(is_active=True, centre__is_active=True).select_related(
        "centre"
    )
    if centre is not None:
        templates = templates.filter(centre=centre)
    by_centre: dict[int, list[SlotTemplate]] = {}
    for template in templates:
        by_centre.setdefault(template.centre_id, []).append(template)

    new: list[Slot] = []
    horizon = 0
    for each_centre, centre_templates in by_centre.items():
        span = days if days is not None else centre_rules(each_centre).open_days_ahead + EXTRA_DAYS
        horizon = max(horizon, span)
        the_centre = centre_templates[0].centre
        for offset in range(span + 1):
            day = today + timedelta(days=offset)
            sessions = centre_sessions_on(the_centre, day)
            if not sessions:
                continue
            for template in centre_templates:
                if not _template_applies(template, day):
                    continue
                for begin, finish in _windows(template, sessions):
                    new.append(
                        Slot(
                            centre_id=each_centre,
                            category_id=template.category_id,
                            item_key=template.item_key,
                            template=template,
                            day=day,
                            starts_at=timezone.make_aware(datetime.combine(day, begin)),
                            ends_at=timezone.make_aware(datetime.combine(day, finish)),
                            capacity=template.capacity,
                        )
                    )
    with transaction.atomic():
        before = Slot.objects.count()
        Slot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        created = Slot.objects.count() - before
        if created:
            audit_record(
                actor=actor,
                action="appointments.slots.generate",
                object_type="appointments.slot",
                after={"from": today.isoformat(), "days": horizon, "created": created},
            )
    return GenerateReport(days=horizon, created=created)
