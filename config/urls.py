from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("onestop.portal.urls")),
    path("account/", include("onestop.identity.urls")),
    path("services/search/", include("onestop.search.urls")),
    # How to reach 12345, served by search until the hotline app takes the name over.
    path("hotline/", include("onestop.search.hotline_urls")),
    path("services/", include("onestop.catalog.urls")),
    path("centres/", include("onestop.centres.urls")),
    path("appointments/", include("onestop.appointments.urls")),
    path("hall/statistics/", include("onestop.hall_statistics.urls")),
    path("hall/", include("onestop.hall.urls")),
    path("ratings/", include("onestop.ratings.urls")),
    path("cases/", include("onestop.cases.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
