from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onestop.cases"
    label = "cases"
    verbose_name = "Cases"
