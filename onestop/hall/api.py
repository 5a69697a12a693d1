"""The hall API, mounted at /api/v1/hall/."""

from ninja import Router

router = Router(tags=["hall"])
