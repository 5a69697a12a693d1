from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "onestop.search"
    label = "search"
    verbose_name = "Catalog search"

    def ready(self) -> None:
        from onestop.catalog.hooks import items_changed
        from onestop.search.hooks import index_items_changed

        items_changed.connect(index_items_changed)
