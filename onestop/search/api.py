"""The search API, mounted at /api/v1/search/."""

from ninja import Router

router = Router(tags=["search"])
