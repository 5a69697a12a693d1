from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "onestop.hall"
    label = "hall"
    verbose_name = "Service hall"
