"""The hall statistics API's answers: figures as numbers (minutes, shares as fractions),
codes rather than translated labels where there is a code."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class RowOut(Schema):
    key: str
    label: str
    issued: int
    new_numbers: int
    called: int
    served: int
    no_shows: int
    no_show_rate: float | None
    wait_p50: float | None
    wait_p90: float | None
    wait_max: float | None
    service_p50: float | None
    service_p90: float | None
    service_max: float | None
    appointments: int
    on_time_share: float | None
    lateness_p50: float | None
    lateness_max: float | None
    ratings: int
    levels: dict[int, int]
    satisfaction_share: float | None
    mean_score: float | None
    estimates: int
    estimate_mae: float | None
    estimate_bias: float | None
    estimate_within_share: float | None


class TableOut(Schema):
    centre: str
    by: str
    start: date
    end: date
    rows: list[RowOut]


class QueueOut(Schema):
    category: str
    kind: str
    waiting: int
    booked_ahead: int
    at_windows: int
    longest_wait_minutes: int


class WindowOut(Schema):
    number: int
    state: str
    ticket: str


class LiveOut(Schema):
    centre: str
    at: datetime
    waiting: int
    open_windows: int
    longest_wait_minutes: int
    queues: list[QueueOut]
    windows: list[WindowOut]
