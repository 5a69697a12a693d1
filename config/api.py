"""The JSON API root: /api/v1/. Each app contributes one Router; errors are problem+json,
and every operation declares the ones it can give (config/api_support.py)."""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api_docs import LocalSwagger
from config.api_support import JsonParser, declare_problems, install_strict_json_bodies
from onestop.core.errors import DomainError, problem

install_strict_json_bodies()


class OnestopAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return declare_problems(super().get_openapi_schema(**kwargs))


api = OnestopAPI(
    title="onestop",
    version="1",
    description="One-stop government service platform API. Errors are application/problem+json "
    "with a stable `code`.",
    urls_namespace="api",
    docs=LocalSwagger(),
    parser=JsonParser(),
)


def problem_response(**fields) -> HttpResponse:
    body = problem(**fields)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=body["status"],
        content_type="application/problem+json",
    )
    if body["status"] == 429 and body.get("retry_after"):
        response["Retry-After"] = str(int(body["retry_after"]))
    return response


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(status=exc.status, code=exc.code, title=exc.message, **exc.params)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(
        status=422, code="validation_error", title="The request is not valid.", errors=exc.errors
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(status=401, code="not_authenticated", title="Sign-in required.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps whatever the parser raised in a 400; the parser's own answer (415) wins.
    cause = exc.__cause__
    if isinstance(cause, HttpError):
        exc = cause
    if isinstance(cause, RequestDataTooBig):
        return on_too_big(request, cause)
    codes = {400: "malformed_json", 415: "unsupported_media_type"}
    return problem_response(
        status=exc.status_code, code=codes.get(exc.status_code, "http_error"), title=str(exc)
    )


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(
        status=413, code="request_too_large", title="The request body is too large."
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, code="not_found", title="Not found.")


# Routers are mounted here, one per app.
from onestop.identity.api import router as identity_router  # noqa: E402

api.add_router("/identity/", identity_router)

from onestop.catalog.api import router as catalog_router  # noqa: E402

api.add_router("/catalog/", catalog_router)

# Search answers under the catalog's path: /api/v1/catalog/search.
from onestop.search.api import router as search_router  # noqa: E402

api.add_router("/catalog/search", search_router)

from onestop.centres.api import router as centres_router  # noqa: E402

api.add_router("/centres/", centres_router)

from onestop.appointments.api import router as appointments_router  # noqa: E402

api.add_router("/appointments/", appointments_router)

from onestop.hall.api import router as hall_router  # noqa: E402

api.add_router("/hall/", hall_router)

from onestop.ratings.api import router as ratings_router  # noqa: E402

api.add_router("/ratings/", ratings_router)

from onestop.cases.api import calendar_router  # noqa: E402
from onestop.cases.api import router as cases_router  # noqa: E402

api.add_router("/cases/", cases_router)
api.add_router("/calendar/", calendar_router)

from onestop.licences.api import router as licences_router  # noqa: E402

api.add_router("/licences/", licences_router)

from onestop.hall_statistics.api import router as hall_statistics_router  # noqa: E402

api.add_router("/hall-statistics/", hall_statistics_router)

from onestop.hotline.api import router as hotline_router  # noqa: E402

api.add_router("/hotline/", hotline_router)
