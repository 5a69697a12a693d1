"""Open311 GeoReport v2 (onestop.hotline.open311), mounted at /open311/v2/."""

from django.urls import path

from onestop.hotline import open311

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests, name="requests"),
    path("requests/<str:number>.<str:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:value>.<str:fmt>", open311.token, name="token"),
]
