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
    days_used: int | None = Field(
        None,
        description="Days of the limit used on the step's day (the item's working or natural "
        "days, pauses left out); null before the application reached the government and after "
        "the clock stopped",
    )
    days_left: int | None = Field(None, description="Days of the limit left after that day")


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


class CaseLicenceOut(Schema):
    """An e-licence the case's decision issued: verify it at /api/v1/licences/verify."""

    identifier: str = Field(..., description="电子证照标识 (GB/T 36904)")
    number: str = Field(..., description="证照编号")
    type_code: str
    type_name: str
    status: str
    valid_from: date
    valid_until: date | None


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
    licences: list[CaseLicenceOut]


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
