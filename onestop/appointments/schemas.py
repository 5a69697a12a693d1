"""The API's shapes. Answers hold codes and times (ISO 8601 with offset), not labels."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class CategoryOut(Schema):
    code: str
    name: str


class CentreOut(Schema):
    code: str
    name: str
    level: str
    region: str = Field(description="the region code (行政区划代码)")
    address: str
    categories: list[CategoryOut] = Field(description="categories that take bookings")


class DayOut(Schema):
    day: date
    opens_at: datetime = Field(description="when booking opens for this day")
    is_open: bool
    remaining: int


class SlotOut(Schema):
    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    capacity: int
    remaining: int
    item_key: str = Field(description="empty: any service of the category")


class BookingIn(Schema):
    slot_id: int
    item_key: str = Field("", max_length=64, description="the service item, when known")


class BookingOut(Schema):
    id: int
    code: str
    state: str
    centre: CentreRef
    category: CategoryOut
    item_key: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    qr_text: str | None = Field(
        description="the signed text of the booking's QR, while the booking is open"
    )


class CentreRef(Schema):
    code: str
    name: str
    address: str


BookingOut.model_rebuild()
