"""The hotline API's requests and answers, named with the `Hotline` prefix (schema names are
unique across the whole API). Answers carry codes (kinds, states), not translated labels.
The citizen's phone never appears in an answer; the order is theirs by its number and the
phone they gave."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class HotlineRequestIn(Schema):
    kind: str = Field(
        ...,
        description="help 求助, complaint 投诉, report 举报, consultation 咨询, suggestion 建议",
    )
    category: str = Field(..., max_length=12, description="a third-level class code")
    region: str = Field(..., max_length=12, description="district, street or community code")
    text: str = Field(..., max_length=60_000)
    title: str = Field("", max_length=200)
    address: str = Field("", max_length=400)
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)
    anonymous: bool = False
    urgency: str = Field("normal", max_length=10)
    channel: str = Field("app", description="wechat or app")
    service_item_code: str = Field("", max_length=64)
    enterprise_uscc: str = Field("", max_length=40)


class HotlineEventOut(Schema):
    action: str
    state: str
    at: datetime
    note: str


class HotlineOrderOut(Schema):
    number: str
    kind: str
    state: str
    title: str
    category: str
    region: str
    department: str | None
    due_at: datetime | None
    question: str
    reply: str
    created_at: datetime
    attachments: int = Field(0, description="files and links attached to the order")
    events: list[HotlineEventOut]


class HotlineTrackIn(Schema):
    number: str = Field(..., max_length=40)
    phone: str = Field(..., max_length=40)


class HotlineInformationIn(HotlineTrackIn):
    text: str = Field(..., max_length=60_000)


class HotlineReturnVisitIn(HotlineTrackIn):
    resolved: bool
    satisfaction: str = Field(..., description="satisfied, basically_satisfied, dissatisfied")
    comment: str = Field("", max_length=4000)


class HotlinePartIn(Schema):
    department: str = Field(..., max_length=40, description="the assisting department's code")
    task: str = Field(..., max_length=4000, description="what it must do")
    days: int | None = Field(None, description="working days; empty: a day before the order")


class HotlinePartReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


class HotlinePartReplyIn(Schema):
    reply: str = Field(..., max_length=10_000)


class HotlinePartRedispatchIn(Schema):
    department: str = Field(..., max_length=40)
    days: int | None = None


class HotlinePartOut(Schema):
    """An assisting department's part, with the order as a handling department sees it:
    the caller masked, and nothing of them for a report (举报) or an anonymous request."""

    id: int
    order_number: str
    kind: str
    title: str
    text: str
    region: str
    address: str
    lead_department: str | None
    department: str
    state: str
    task: str
    due_at: datetime | None
    reply: str
    contact: dict[str, str]
    attachments: int
