"""The centres API, mounted at /api/v1/centres/."""

from ninja import Router

router = Router(tags=["centres"])
