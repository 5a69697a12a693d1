"""Issuing tickets: at the kiosk, at an appointment's check-in, or by a clerk.

Not audited: an issue touches nobody's record and a big hall issues thousands a day; the
ticket's `issued` event names the device or clerk that issued it.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog.selectors import hall_category_list
from onestop.centres.selectors import centre_is_open_at
from onestop.core.errors import DomainError
from onestop.hall import calling, events, policies
from onestop.hall.enums import (
    ErrorCode,
    PriorityGroup,
    TicketAction,
    TicketKind,
    TicketSource,
    TicketState,
)
from onestop.hall.estimate import NOT_YET_ISSUED, candidate_estimate
from onestop.hall.models import Ticket
from onestop.hall.policies import Perm
from onestop.hall.selectors import prefix_for, rules_for, service_day_of
from onestop.hall.services.common import event_record
from onestop.hall.services.numbering import display_for, number_next

MAX_NOTIFY_POSITION = 50
ISSUE_SOURCES = frozenset({TicketSource.WALK_IN, TicketSource.APPOINTMENT})


def public_token_new() -> str:
    return secrets.token_urlsafe(18)


def category_resolve(centre: Any, code: str) -> Any:
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
    person: Any,
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


def ticket_issue(
    *,
    actor: Any,
    centre: Any,
    category: str,
    kind: str,
    source: str = TicketSource.WALK_IN,
    person: Any = None,
    item_key: str = "",
    priority: str = "",
    booking_ref: str = "",
    queue_at: datetime | None = None,
    notify_at_position: int | None = None,
    late: bool | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Take a number. `queue_at` is an appointment's slot start: checked in early or on
    time, it joins the line at the slot; late, it joins as a walk-in now. Whether it is late
    is `late` when the appointments check-in says so, else the centre's hall rules decide
    (and refuse a check-in before their early window).

    The estimate shown to the person is computed here and kept in the `issued` event
    (`detail["estimate"]`, for the statistics' estimate error) and on `ticket.estimate`."""
    now = now or timezone.now()
    policies.RULES.require(actor, Perm.ISSUE, centre.place)
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
    if source == TicketSource.APPOINTMENT and queue_at is not None and late is not None:
        joins_at = now if late else queue_at
    elif source == TicketSource.APPOINTMENT and queue_at is not None:
        try:
            joins_at = calling.appointment_queue_at(queue_at, now, rules)
        except calling.TooEarly as early:
            raise DomainError(
                ErrorCode.CHECKIN_TOO_EARLY,
                _("Check-in opens at %(time)s.")
                % {"time": f"{timezone.localtime(early.opens_at):%H:%M}"},
            ) from None
    birth_date = getattr(person, "birth_date", None)
    prefix = prefix_for(centre.pk, category_row.pk, kind)
    group = calling.priority_for(priority, birth_date, day, rules)
    # Estimated before the transaction, so the series stays locked only for the writes.
    found = candidate_estimate(
        centre.pk,
        day,
        calling.Candidate(NOT_YET_ISSUED, category_row.code, kind, joins_at, group, source),
        now=now,
        rules=rules,
    )
    with transaction.atomic():
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
        is_late = source == TicketSource.APPOINTMENT and joins_at == now and queue_at != now
        detail: dict[str, Any] = {
            "estimate": {
                "ahead": found.ahead,
                "optimistic_s": found.optimistic_minutes * 60,
                "pessimistic_s": found.pessimistic_minutes * 60,
            }
        }
        if queue_at is not None and source == TicketSource.APPOINTMENT:
            detail["slot_start"] = queue_at.isoformat()
        event_record(
            ticket,
            action=TicketAction.ISSUED,
            from_state="",
            at=now,
            actor=actor,
            reason="late for the slot: joins as a walk-in" if is_late else "",
            detail=detail,
        )
        events.publish_ticket(events.TICKET_ISSUED, ticket, at=now)
    ticket.estimate = found  # type: ignore[attr-defined]
    return ticket
