from django.urls import path

from onestop.identity import views

app_name = "identity"
urlpatterns = [
    path("login/", views.staff_login, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("citizen/login/", views.citizen_login, name="citizen_login"),
    path("citizen/sms/", views.citizen_sms_request, name="citizen_sms_request"),
    path("citizen/sms/login/", views.citizen_sms_login, name="citizen_sms_login"),
]
