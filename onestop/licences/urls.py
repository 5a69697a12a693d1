from django.urls import path

from onestop.licences import reuse_views, views

app_name = "licences"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("mine/", views.wallet, name="wallet"),
    path("mine/<int:licence_id>/", views.wallet_licence, name="wallet_licence"),
    path("mine/<int:licence_id>/printout.pdf", views.wallet_printout, name="wallet_printout"),
    path("mine/<int:licence_id>/present/", views.wallet_present, name="wallet_present"),
    path("status/<int:status_list_id>", views.status_list, name="status_list"),
    path("mine/<int:licence_id>/code/", reuse_views.use_code, name="use_code"),
    path("lookup/", reuse_views.lookup, name="lookup"),
]

# Anyone verifies a licence and reads the status lists without signing in.
PUBLIC_URL_NAMES = frozenset({f"{app_name}:verify", f"{app_name}:status_list"})
