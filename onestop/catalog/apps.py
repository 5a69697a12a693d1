from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onestop.catalog"
    label = "catalog"
    verbose_name = "Service catalog"
