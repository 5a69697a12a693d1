from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "onestop.hotline"
    label = "hotline"
    verbose_name = "12345 hotline"
