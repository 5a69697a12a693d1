from django.urls import path

from onestop.hotline import views

app_name = "hotline"
urlpatterns = [
    path("console/", views.console, name="console"),
    path("inbox/", views.inbox, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/<slug:action>/", views.order_act, name="order_act"),
    path("parts/<int:part_id>/", views.part_detail, name="part"),
    path("parts/<int:part_id>/<slug:action>/", views.part_act, name="part_act"),
    path("attachments/<int:attachment_id>/", views.attachment_file, name="attachment"),
    path("track/", views.track, name="track"),
    path("metrics/", views.metrics_page, name="metrics"),
]

# A citizen tracks an order by its number and phone, without signing in.
PUBLIC_URL_NAMES = frozenset({f"{app_name}:track"})
