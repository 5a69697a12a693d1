from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "onestop.licences"
    label = "licences"
    verbose_name = "E-licences"
