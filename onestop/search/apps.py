from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "onestop.search"
    label = "search"
    verbose_name = "Catalog search"

    def ready(self) -> None:
        from onestop.catalog.hooks import on_items_changed
        from onestop.search.hooks import index_items_changed

        on_items_changed(index_items_changed)
