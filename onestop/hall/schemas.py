"""The hall API's requests and answers, named with the `Hall` prefix (schema names are
unique across the whole API), and the one projection of a ticket, `HallTicketOut`, which
the API, the phone status page and the live events all send."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from onestop.hall.enums import TicketKind
from onestop.hall.models import Ticket, Window


class HallReasonOut(Schema):
    code: str
    params: dict[str, Any]
    text: str


class HallEstimateOut(Schema):
    ahead: int
    windows_open: int
    windows_first: int
    known: bool = Field(..., description="false when no open window calls the queue")
    optimistic_minutes: int | None
    pessimistic_minutes: int | None
    mean_service_minutes: float
    wait_text: str


class HallTicketOut(Schema):
    id: int
    display: str
    kind: str
    category: str
    state: str
    source: str
    priority: str
    window: int | None
    window_label: str
    call_count: int
    arrived_at: datetime
    queue_at: datetime
    service_day: date
    parent_id: int | None

    @classmethod
    def of(cls, ticket: Ticket, window: Window | None = None) -> HallTicketOut:
        """The ticket as every reader gets it. `window` saves a query when the caller holds
        the ticket's window."""
        if window is None and ticket.window_id is not None:
            window = ticket.window
        return cls(
            id=ticket.pk,
            display=ticket.display,
            kind=ticket.kind,
            category=ticket.category.code,
            state=ticket.state,
            source=ticket.source,
            priority=ticket.priority,
            window=window.number if window is not None else None,
            window_label=window.label if window is not None else "",
            call_count=ticket.call_count,
            arrived_at=ticket.arrived_at,
            queue_at=ticket.queue_at,
            service_day=ticket.service_day,
            parent_id=ticket.parent_id,
        )


class HallIssuedOut(Schema):
    ticket: HallTicketOut
    status_token: str
    estimate: HallEstimateOut


class HallCalledOut(Schema):
    ticket: HallTicketOut | None
    why: list[HallReasonOut]


class HallStatusOut(Schema):
    """A ticket as its holder sees it (by the token on the ticket): no personal data."""

    ticket: HallTicketOut
    centre: str
    estimate: HallEstimateOut | None


class HallEventOut(Schema):
    ticket_id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    window: int | None
    reason: str
    detail: dict[str, Any]


class HallTicketDetailOut(Schema):
    ticket: HallTicketOut
    timeline: list[HallEventOut]
    estimate: HallEstimateOut | None


class HallWindowOut(Schema):
    id: int
    number: int
    label: str
    state: str
    categories: list[str]
    kinds: list[str]
    clerk_id: int | None
    profile_id: int | None

    @classmethod
    def of(cls, window: Window) -> HallWindowOut:
        return cls(
            id=window.pk,
            number=window.number,
            label=window.label,
            state=window.state,
            categories=[c.code for c in window.categories.all()],
            kinds=list(window.kinds),
            clerk_id=window.clerk_id,
            profile_id=window.profile_id,
        )


class HallQueueOut(Schema):
    category: str
    kind: str
    waiting: int
    longest_wait_minutes: int
    estimate: HallEstimateOut


class HallIssueIn(Schema):
    """A walk-in's number, or (with `booking`) a booked visitor's arrival: the booking is
    checked in and its ticket issued, in line at the slot or, late, as a walk-in."""

    centre: str = Field(..., max_length=40, description="the centre's code")
    booking: str | None = Field(
        None,
        max_length=200,
        description="a booking's code or the token of its QR; the other fields then come "
        "from the booking",
    )
    category: str = Field("", max_length=40)
    kind: TicketKind = TicketKind.ACCEPTANCE
    card: str | None = Field(None, max_length=64, description="what the card reader read")
    item_key: str = Field("", max_length=40)
    priority: str = Field("", max_length=20)
    notify_at_position: int | None = Field(None, ge=1, le=50)


class HallOpenIn(Schema):
    profile_id: int


class HallReasonIn(Schema):
    reason: str = Field("", max_length=200)


class HallConvertIn(HallReasonIn):
    to_kind: TicketKind
    category: str | None = Field(None, max_length=40)
    keep: bool = False


class HallTransferIn(HallReasonIn):
    to_category: str = Field(..., max_length=40)
    keep: bool = False
