"""The JSON API root: /api/v1/. Each app contributes one Router; errors are problem+json."""

import json

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api_docs import LocalSwagger
from onestop.core.errors import DomainError, problem

api = NinjaAPI(
    title="onestop",
    version="1",
    description="One-stop government service platform API. Errors are application/problem+json "
    "with a stable `code`.",
    urls_namespace="api",
    docs=LocalSwagger(),
)


def problem_response(**fields) -> HttpResponse:
    body = problem(**fields)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=body["status"],
        content_type="application/problem+json",
    )


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
    return problem_response(status=exc.status_code, code="http_error", title=str(exc))


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

from onestop.hall_statistics.api import router as hall_statistics_router  # noqa: E402

api.add_router("/hall-statistics/", hall_statistics_router)
