from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "onestop.demo"
    label = "demo"
    verbose_name = "Demo data"
