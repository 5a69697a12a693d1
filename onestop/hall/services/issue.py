"""Issuing tickets: at the kiosk, at an appointment's check-in (services/arrival.py), or by
a clerk. Each issue records the ticket's `issued` event and the audit entry
`hall.ticket.issued`, naming the device or clerk that issued it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.appointments.selectors import checkin_window
from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import centre_get_by_id, centre_is_open_at
from onestop.core.errors import DomainError
from onestop.core.service import audited
from onestop.hall import calling, events, policies
from onestop.hall.enums import (
    TICKET,
    ErrorCode,
    PriorityGroup,
    TicketAction,
    TicketKind,
    TicketSource,
    TicketState,
)
from onestop.hall.estimate import NOT_YET_ISSUED, Estimate, candidate_estimate
from onestop.hall.models import Ticket
from onestop.hall.policies import Perm
from onestop.hall.selectors import prefix_for, rules_for, service_day_of
from onestop.hall.services.common import Issuer
from onestop.hall.services.numbering import display_for, number_next
from onestop.identity.selectors import person_get

if TYPE_CHECKING:
    from onestop.catalog.models import HallCategory
    from onestop.centres.models import Centre
    from onestop.identity.models import Person

MAX_NOTIFY_POSITION = 50
ISSUE_SOURCES = frozenset({TicketSource.WALK_IN, TicketSource.APPOINTMENT})


def public_token_new() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Issued:
    """A ticket just taken, and the wait it was told (kept in its `issued` event too)."""

    ticket: Ticket
    estimate: Estimate


def category_resolve(centre: Centre, code: str) -> HallCategory:
    """The hall category `code`, which the centre must offer."""
    category = centre.categories.filter(code=str(code)[:40], is_active=True).first()
    if category is not None:
        return category
    known = next((c for c in hall_category_list() if c.code == code), None)
    if known is None:
        raise DomainError(
            ErrorCode.UNKNOWN_CATEGORY,
            _("There is no hall category %(code)s.") % {"code": str(code)[:40]},
        )
    raise DomainError(
        ErrorCode.CATEGORY_NOT_OFFERED,
        _("%(centre)s does not serve %(category)s.")
        % {"centre": centre.name, "category": known.name},
    )


def _check_kind(kind: str) -> None:
    if kind not in TicketKind.values:
        raise DomainError(ErrorCode.UNKNOWN_KIND, _("Unknown ticket kind."), kind=str(kind)[:20])


def _check_request(
    *,
    source: str,
    priority: str,
    item_key: str,
    booking_ref: str,
    queue_at: datetime | None,
    notify_at_position: int | None,
    person: Person | None,
) -> None:
    if source not in ISSUE_SOURCES:
        raise DomainError(
            ErrorCode.UNKNOWN_SOURCE, _("A ticket is issued to a walk-in or an appointment.")
        )
    if priority and priority not in PriorityGroup.values:
        raise DomainError(ErrorCode.UNKNOWN_PRIORITY, _("Unknown priority group."))
    if len(item_key) > 40 or len(booking_ref) > 40:
        raise DomainError(ErrorCode.INVALID_TICKET, _("The item or booking reference is too long."))
    if source == TicketSource.APPOINTMENT and queue_at is None:
        raise DomainError(
            ErrorCode.INVALID_TICKET, _("An appointment ticket needs its slot start.")
        )
    if notify_at_position is not None:
        if not 1 <= notify_at_position <= MAX_NOTIFY_POSITION:
            raise DomainError(
                ErrorCode.INVALID_TICKET,
                _("Choose to be told when 1 to %(max)s people are ahead.")
                % {"max": MAX_NOTIFY_POSITION},
            )
        if person is None or not person.phone_sealed:
            raise DomainError(
                ErrorCode.NOTIFY_NEEDS_PHONE,
                _("A text message needs a card whose holder has a phone number on record."),
            )


def _joins_at(centre_id: int, slot_start: datetime, now: datetime) -> datetime:
    """When an appointment checked in at `now` joins the line, by the centre's check-in
    window (appointments' rules): at its slot if on time or early, from now if late."""
    early, late = checkin_window(centre_id)
    try:
        return calling.appointment_queue_at(slot_start, now, early=early, late=late)
    except calling.TooEarly as too_early:
        raise DomainError(
            ErrorCode.CHECKIN_TOO_EARLY,
            _("Check-in opens at %(time)s.")
            % {"time": f"{timezone.localtime(too_early.opens_at):%H:%M}"},
        ) from None


@audited("hall.ticket.issued", timeline=True)
def ticket_issue(
    *,
    actor: Issuer,
    centre_id: int,
    category: str,
    kind: str,
    source: str = TicketSource.WALK_IN,
    person_id: int | None = None,
    item_key: str = "",
    priority: str = "",
    booking_ref: str = "",
    queue_at: datetime | None = None,
    notify_at_position: int | None = None,
    now: datetime | None = None,
) -> Issued:
    """Take a number. `queue_at` is an appointment's slot start: checked in early or on
    time, it joins the line at the slot; late, it joins as a walk-in now. The centre's
    check-in window (appointments' rules) decides, and refuses a check-in before it opens.

    The estimate shown to the person is kept in the `issued` event (`detail["estimate"]`,
    for the statistics' estimate error) and returned with the ticket."""
    now = now or timezone.now()
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.ISSUE, centre.place)
    person = person_get(person_id) if person_id is not None else None
    _check_kind(kind)
    _check_request(
        source=source,
        priority=priority,
        item_key=item_key,
        booking_ref=booking_ref,
        queue_at=queue_at,
        notify_at_position=notify_at_position,
        person=person,
    )
    category_row = category_resolve(centre, category)
    if not centre_is_open_at(centre, now):
        raise DomainError(
            ErrorCode.CENTRE_CLOSED, _("%(centre)s is closed now.") % {"centre": centre.name}
        )
    rules = rules_for(centre.pk)
    day = service_day_of(now)
    joins_at = now
    late = False
    appointment = source == TicketSource.APPOINTMENT and queue_at is not None
    if appointment and queue_at is not None:
        joins_at = _joins_at(centre.pk, queue_at, now)
        late = joins_at == now and queue_at != now
    # A booking checked in late is served as a walk-in from now; the booking stays named.
    source = TicketSource.WALK_IN if late else source
    prefix = prefix_for(centre.pk, category_row.pk, kind)
    group = calling.priority_for(priority, person.birth_date if person else None, day, rules)
    # Estimated before the number is drawn, so the series stays locked only for the writes.
    found = candidate_estimate(
        centre.pk,
        day,
        calling.Candidate(NOT_YET_ISSUED, category_row.code, kind, joins_at, group, source),
        now=now,
        rules=rules,
    )
    number = number_next(centre.pk, day, prefix)
    ticket = Ticket.objects.create(
        centre=centre,
        service_day=day,
        kind=kind,
        category=category_row,
        prefix=prefix,
        number=number,
        display=display_for(prefix, number),
        source=source,
        person=person,
        item_key=item_key,
        priority=group,
        booking_ref=booking_ref,
        arrived_at=now,
        queue_at=joins_at,
        state=TicketState.WAITING,
        notify_at_position=notify_at_position,
        public_token=public_token_new(),
    )
    detail: dict[str, Any] = {"estimate": found.as_event()}
    if appointment and queue_at is not None:
        detail["slot_start"] = queue_at.isoformat()
    TICKET.record(
        ticket,
        action=TicketAction.ISSUED,
        actor=actor,
        from_state="",
        at=now,
        reason="late for the slot: joins as a walk-in" if late else "",
        detail=detail,
    )
    events.publish_ticket(events.TICKET_ISSUED, ticket, at=now)
    return Issued(ticket=ticket, estimate=found)
