"""The ratings API's requests and answers, named with the `Rating` prefix (schema names are
unique across the whole API). Answers carry codes (levels 1–5, reason codes, states), not
translated labels, except where a label is the point: a reason's names, in every language
at once (`names`), as the catalog gives its themes' (decision 0020)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class RatingNamesOut(Schema):
    zh_hans: str
    zh_hant: str
    en: str


class RatingReasonOut(Schema):
    code: str
    name: str
    names: RatingNamesOut
    applies: str


class RatingIn(Schema):
    level: int = Field(..., description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=20)
    comment: str = Field("", max_length=2000)
    contact_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)


class RatingOut(Schema):
    level: int
    reasons: list[str]
    is_named: bool
    follow_up: bool
    created_at: datetime


class RatingVisitOut(Schema):
    display: str
    centre: str
    category: str
    kind: str
    window: int | None
    finished_at: datetime | None
    can_rate: bool
    refusal: str | None = Field(None, description="the error code rating would get now")
    rate_until: datetime | None
    rating: RatingOut | None


class RatingFollowUpEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    at: datetime
    by: str | None = Field(None, description="the account's display name; none for the rater")
    note: str


class RatingFollowUpOut(Schema):
    id: int
    centre: str
    state: str
    ticket: str = Field(description="the rated visit's number; empty for a case")
    case_number: str | None = Field(None, description="the rated case's number (办件)")
    level: int
    reasons: list[str]
    comment: str
    window: int | None
    contact_phone_masked: str
    created_at: datetime
    started_at: datetime | None
    closed_at: datetime | None
    resolution: str
    timeline: list[RatingFollowUpEventOut]


class RatingFollowUpCloseIn(Schema):
    resolution: str = Field(..., max_length=4000)
