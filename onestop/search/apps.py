from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "onestop.search"
    label = "search"
    verbose_name = "Catalog search"
