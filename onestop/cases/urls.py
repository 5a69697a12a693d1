from django.urls import path

from onestop.cases import views

app_name = "cases"
urlpatterns = [
    path("track/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("apply/<str:item_key>/", views.apply, name="apply"),
    path("window/", views.window_start, name="window_start"),
    path("inbox/", views.inbox, name="inbox"),
    path("figures/", views.figures_page, name="figures"),
    path("sweep/", views.sweep, name="sweep"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/<str:kind>.pdf", views.document, name="document"),
]

# Anyone tracks a case with its number and the applicant's phone, without signing in.
PUBLIC_URL_NAMES = frozenset({f"{app_name}:track"})
