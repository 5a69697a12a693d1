"""The hall statistics API, mounted at /api/v1/hall-statistics/: the same live board and
tables as the pages, for the centre's hall manager and platform admins."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from onestop.centres.selectors import centre_get
from onestop.hall_statistics import policies, selectors
from onestop.hall_statistics.enums import TableBy
from onestop.hall_statistics.policies import Perm
from onestop.hall_statistics.schemas import LiveOut, TableOut
from onestop.identity.actors import request_actor, staff_of
from onestop.identity.api_auth import api_auth

router = Router(tags=["hall statistics"], auth=api_auth)


class RangeIn(Schema):
    start: date
    end: date


def _centre(request: HttpRequest, code: str) -> Any:
    centre = centre_get(code)
    policies.RULES.require(request_actor(request), Perm.VIEW, centre.place)
    return centre


@router.get("/centres/{code}/live", response=LiveOut)
def get_live(request: HttpRequest, code: str) -> dict[str, Any]:
    board = selectors.live_board(actor=staff_of(request), centre=_centre(request, code))
    return {
        "centre": board.centre.code,
        "at": board.at,
        "waiting": board.waiting,
        "open_windows": board.open_windows,
        "longest_wait_minutes": board.longest_wait_minutes,
        "queues": [asdict(q) for q in board.queues],
        "windows": [asdict(w) for w in board.windows],
    }


@router.get("/centres/{code}/tables/{by}", response=TableOut)
def get_table(
    request: HttpRequest, code: str, by: TableBy, period: Query[RangeIn]
) -> dict[str, Any]:
    result = selectors.statistics_tables(
        actor=staff_of(request),
        centre=_centre(request, code),
        start=period.start,
        end=period.end,
        by=[by],
    )
    return {
        "centre": result.centre.code,
        "by": by,
        "start": result.start,
        "end": result.end,
        "rows": [asdict(row) for row in result.tables[by]],
    }
