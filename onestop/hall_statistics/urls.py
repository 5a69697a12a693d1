from django.urls import path

from onestop.hall_statistics import views

app_name = "hall_statistics"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.centre_page, name="centre"),
    path("<slug:code>/live/", views.live, name="live"),
    path("<slug:code>/export/<slug:by>.csv", views.export, name="export"),
]
