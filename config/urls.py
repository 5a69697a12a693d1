from django.contrib import admin
from django.urls import include, path

from config.api import api
from onestop.hotline import urls as hotline_urls
from onestop.licences import wellknown
from onestop.search import hotline_urls as ask_urls

urlpatterns = [
    path("", include("onestop.portal.urls")),
    path("account/", include("onestop.identity.urls")),
    path("services/search/", include("onestop.search.urls")),
    # How to reach 12345 (served by search) and the hotline's own pages, one namespace.
    path(
        "hotline/",
        include((ask_urls.urlpatterns + hotline_urls.urlpatterns, "hotline")),
    ),
    path("open311/v2/", include("onestop.hotline.open311_urls")),
    path("services/", include("onestop.catalog.urls")),
    path("centres/", include("onestop.centres.urls")),
    path("appointments/", include("onestop.appointments.urls")),
    path("hall/statistics/", include("onestop.hall_statistics.urls")),
    path("hall/", include("onestop.hall.urls")),
    path("ratings/", include("onestop.ratings.urls")),
    path("cases/", include("onestop.cases.urls")),
    path("licences/", include("onestop.licences.urls")),
    # The e-licence issuer's keys (decision 0028): public, cacheable.
    path(".well-known/jwks.json", wellknown.jwks, name="jwks"),
    path(".well-known/jwt-vc-issuer", wellknown.jwt_vc_issuer, name="jwt_vc_issuer"),
    path("delivery/", include("onestop.delivery.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
