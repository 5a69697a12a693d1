from django.urls import path

from onestop.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<slug:code>/", views.theme_detail, name="theme_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<str:code>/", views.department_detail, name="department_detail"),
    path("levels/<str:level>/", views.level_detail, name="level_detail"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("near/", views.region_remember, name="region_remember"),
    path("items/<str:item_key>/", views.item_detail, name="item_detail"),
    path("items/<str:item_key>/places/", views.item_places, name="item_places"),
    path("items/<str:item_key>/v<int:version>/", views.item_version, name="item_version"),
]

# Every catalog page is public: onestop.identity.public lists these names.
PUBLIC_URL_NAMES = frozenset(f"{app_name}:{pattern.name}" for pattern in urlpatterns)
