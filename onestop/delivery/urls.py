from django.urls import path

from onestop.delivery import views

app_name = "delivery"
urlpatterns = [
    path("window/", views.window, name="window"),
    path("locker/", views.locker, name="locker"),
]
