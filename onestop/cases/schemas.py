"""The cases API's requests and answers, named with the `Case` prefix (schema names are
unique across the whole API). Answers carry codes (states, results, actions), not labels."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class CaseDueDateOut(Schema):
    due_date: date


class CaseEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    at: datetime
    note: str


class CaseClockOut(Schema):
    status: str
    due_date: date | None
    limit: int | None
    used: int | None
    remaining: int | None
    unit: str


class CaseTrackOut(Schema):
    """What anyone holding the number and the phone may see: no personal data."""

    number: str
    item_key: str
    item_name: str
    state: str
    result: str
    clock: CaseClockOut
    timeline: list[CaseEventOut]


class CaseOut(CaseTrackOut):
    id: int
    channel: str
    centre: str | None
    department: str
    assignee: str | None
    delivery_method: str
    steps: list[str]
    current_step: str
    retention: str
    received_on: date | None
    decided_at: datetime | None


class CaseTrackIn(Schema):
    number: str = Field(..., max_length=64)
    phone: str = Field(..., max_length=40)


class CaseDecisionIn(Schema):
    result: str = Field(..., description="approved, approved_with_conditions or refused")
    reason: str = Field("", max_length=2000)


class CaseInboxRowOut(Schema):
    id: int
    number: str
    item_name: str
    state: str
    due_date: date | None
    deadline_status: str
    assignee: str | None
