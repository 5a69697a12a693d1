"""The API's interactive documentation (/api/v1/docs): django-ninja's Swagger UI page,
with Swagger UI served from the platform's own static files (static/vendor/swagger-ui/)
instead of a CDN, so the page works offline and in networks that block CDNs, and loads no
code the platform does not ship."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI

# Swagger UI would otherwise send the schema's URL to swagger.io's online validator and show
# its badge: a request to an outside service from every visit.
SETTINGS = {"validatorUrl": None}


class LocalSwagger(Swagger):
    template = "api/docs.html"

    def __init__(self) -> None:
        super().__init__(settings=SETTINGS)

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})
