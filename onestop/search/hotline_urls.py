"""The 12345 hotline's public page until the hotline app exists: how to reach 12345, which
will hold the hotline's web form. Its name, `hotline:ask`, is the one that app keeps."""

from django.urls import path

from onestop.search import views

app_name = "hotline"
urlpatterns = [path("ask/", views.hotline_ask, name="ask")]

PUBLIC_URL_NAMES = frozenset({f"{app_name}:ask"})
