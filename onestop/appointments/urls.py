from django.urls import path

from onestop.appointments import views

app_name = "appointments"
urlpatterns = [
    path("", views.book, name="book"),
    path("confirm/", views.book_confirm, name="confirm"),
    path("mine/", views.mine, name="mine"),
    path("<int:booking_id>/", views.detail, name="detail"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/qr.svg", views.qr, name="qr"),
]
