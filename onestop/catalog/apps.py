from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onestop.catalog"
    label = "catalog"
    verbose_name = "Service catalog"

    def ready(self) -> None:
        from onestop.catalog.hooks import items_changed
        from onestop.catalog.selectors import counts_forget

        # Cached counts go stale once a change to published items commits.
        items_changed.connect(counts_forget)
