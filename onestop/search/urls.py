from django.urls import path

from onestop.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("suggest/", views.suggest, name="suggest"),
    path("region/", views.region_set, name="region_set"),
    path("failures/", views.failures, name="failures"),
]

# The online hall is open to everyone; what people fail to find is for catalog staff.
PUBLIC_URL_NAMES = frozenset(f"{app_name}:{name}" for name in ("results", "suggest", "region_set"))
