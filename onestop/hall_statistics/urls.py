app_name = "hall_statistics"
urlpatterns: list = []
