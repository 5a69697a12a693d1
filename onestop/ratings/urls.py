from django.urls import path

from onestop.ratings import views

app_name = "ratings"
urlpatterns = [
    path("t/<str:token>/", views.rate, name="rate"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:task_id>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:task_id>/start/", views.follow_up_start, name="follow_up_start"),
    path("follow-ups/<int:task_id>/close/", views.follow_up_close, name="follow_up_close"),
    path("follow-ups/<int:task_id>/reveal/", views.follow_up_reveal, name="follow_up_reveal"),
]

# The visitor rates from the link on their ticket, without signing in.
PUBLIC_URL_NAMES = frozenset({f"{app_name}:rate"})
