"""The project's URLs with the catalog's pages and API mounted, as config/urls.py will
mount them: /services/ and /api/v1/catalog/."""

from typing import Any, cast

from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api import on_auth_error, on_domain_error, on_http_error, on_validation_error
from config.urls import urlpatterns as project_urlpatterns
from onestop.catalog.api import router
from onestop.core.errors import DomainError

api = NinjaAPI(title="catalog test", version="test", urls_namespace="catalog_test_api")
for error_class, handler in (
    (DomainError, on_domain_error),
    (ValidationError, on_validation_error),
    (AuthenticationError, on_auth_error),
    (HttpError, on_http_error),
):
    api.add_exception_handler(error_class, cast(Any, handler))
api.add_router("/catalog/", router)

urlpatterns = [
    path("services/", include("onestop.catalog.urls")),
    path("api/test/", api.urls),
    *project_urlpatterns,
]
