from django.apps import AppConfig


class HallStatisticsConfig(AppConfig):
    name = "onestop.hall_statistics"
    label = "hall_statistics"
    verbose_name = "Hall statistics"
