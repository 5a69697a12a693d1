"""The hall statistics API, mounted at /api/v1/hall-statistics/."""

from ninja import Router

router = Router(tags=["hall statistics"])
