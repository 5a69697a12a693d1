"""The issuer's published keys, at the site's root (config/urls.py): the JWKS at
/.well-known/jwks.json and the SD-JWT VC issuer metadata at /.well-known/jwt-vc-issuer.
Both are public and cacheable; an offline verifier needs them and the status lists only."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from onestop.licences import selectors

CACHE = "public, max-age=300"


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(selectors.jwks(), content_type="application/jwk-set+json")
    response["Cache-Control"] = CACHE
    return response


@require_GET
def jwt_vc_issuer(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(selectors.issuer_metadata())
    response["Cache-Control"] = CACHE
    return response
